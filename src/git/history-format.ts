import type { JsonValue } from "../model/document.js";
import type { FieldChange } from "./field-diff.js";
import type { HistoryEntry } from "./history.js";

export interface HistoryFormatOptions {
  /** Longest value printed before it is cut with `…` (default 100 characters). */
  maxValueLength?: number;
}

/**
 * The `history KIND/NAME` timeline as plain text (no colour; the CLI may add it). Newest first,
 * one block per commit: short id, author date (UTC), author, subject, then what changed.
 */
export function formatHistory(title: string, entries: readonly HistoryEntry[], options: HistoryFormatOptions = {}): string {
  if (entries.length === 0) return `${title}: no history in git (never committed under this name)\n`;
  const lines = [`${title}: ${entries.length} commit${entries.length === 1 ? "" : "s"}`, ""];
  for (const entry of entries) {
    lines.push(`${entry.commit.slice(0, 10)}  ${formatDate(entry.authorDate)}  ${entry.author.name} <${entry.author.email}>`);
    if (entry.committer.email !== entry.author.email) lines.push(`            committed by ${entry.committer.name} <${entry.committer.email}>`);
    lines.push(`    ${entry.subject}`);
    lines.push(`    ${describeChange(entry)}`);
    if (entry.idChange?.before === undefined && entry.idChange?.after !== undefined) lines.push(`      id: ${entry.idChange.after}`);
    else if (entry.idChange) lines.push(`      id: ${entry.idChange.before ?? "(none)"} → ${entry.idChange.after ?? "(none)"}`);
    if (entry.note) lines.push(`      (${entry.note})`);
    if (entry.change === "created" || entry.change === "deleted") {
      const top = new Set(entry.fields.map((f) => f.path.split(/[.[]/)[0]));
      if (top.size > 0) lines.push(`      spec: ${[...top].join(", ")}`);
    } else for (const field of entry.fields) lines.push(`      ${formatFieldChange(field, options.maxValueLength ?? 100)}`);
    if (!entry.note && entry.fields.length === 0 && entry.change === "modified" && !entry.idChange)
      lines.push("      (no change in spec: formatting or metadata only)");
    lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function describeChange(entry: HistoryEntry): string {
  switch (entry.change) {
    case "created":
      return `created ${entry.path}`;
    case "deleted":
      return `deleted ${entry.path}`;
    case "renamed":
      return `renamed ${entry.previousPath ?? "?"} → ${entry.path}`;
    case "modified":
      return `modified`;
  }
}

/** `path: before → after`, `path: + member`, `path: - member`, `path: (added) value`. */
export function formatFieldChange(change: FieldChange, maxValueLength = 100): string {
  const v = (value: JsonValue): string => formatValue(value, maxValueLength);
  switch (change.kind) {
    case "changed":
      return `${change.path}: ${v(change.before)} → ${v(change.after)}`;
    case "added":
      return change.element ? `${change.path}: + ${v(change.after)}` : `${change.path}: (added) ${v(change.after)}`;
    case "removed":
      return change.element ? `${change.path}: - ${v(change.before)}` : `${change.path}: (removed, was ${v(change.before)})`;
  }
}

function formatValue(value: JsonValue, max: number): string {
  const text = JSON.stringify(value) ?? "null";
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `2026-03-04T05:06:07+02:00` → `2026-03-04 03:06 UTC`. */
function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
