import type { FieldChange, PlanChange } from "../model/plan.js";
import { redactAt } from "./redact.js";
import { flattenSpec, formatValue } from "./values.js";
import { shortStreamValue } from "../kinds/stream-files.js";

/** `plan` shows what apply will do; `drift` shows the same diff as what changed outside git. */
export type RenderMode = "plan" | "drift";

export type Sign = "+" | "-" | "~" | "!" | "#";
export interface Line {
  sign: Sign;
  text: string;
  /** The same change as separate `-`/`+` lines (old and new value, removed and added members), for diff blocks. */
  split?: Array<["+" | "-", string]>;
  /** Members added to and removed from a set-like array, one per line under this one (`+ user:x`). */
  items?: Array<["+" | "-", string]>;
}

export interface Headline {
  symbol: string;
  verb: string;
}

/**
 * Symbol and wording of a change's first line; in `drift` mode followed by who made the change
 * when the audit log names them: `(changed by alice@contoso.com at 2026-12-06 10:42 UTC)`.
 */
export function headline(change: PlanChange, mode: RenderMode): Headline {
  const head = baseHeadline(change, mode);
  return mode === "drift" && change.action !== "noop" && change.changedBy ? { ...head, verb: `${head.verb}${changedByText(change.changedBy)}` } : head;
}

/** ` (changed by LABEL at YYYY-MM-DD HH:MM UTC)`. */
export function changedByText(actor: { label: string; at: string }): string {
  const at = new Date(actor.at);
  const time = Number.isNaN(at.getTime()) ? actor.at : `${at.toISOString().slice(0, 10)} ${at.toISOString().slice(11, 16)} UTC`;
  return ` (changed by ${actor.label} at ${time})`;
}

function baseHeadline(change: PlanChange, mode: RenderMode): Headline {
  switch (change.action) {
    case "create":
      return mode === "plan" ? { symbol: "+", verb: "will be created" } : { symbol: "-", verb: "deleted outside git (in git, missing from the tenant)" };
    case "update":
      if (mode === "drift") return { symbol: "~", verb: "changed outside git" };
      return change.replace ? { symbol: "-/+", verb: "must be replaced (create-only fields changed)" } : { symbol: "~", verb: "will be updated in place" };
    case "delete":
      return mode === "plan" ? { symbol: "-", verb: "will be deleted" } : { symbol: "+", verb: "created outside git (not in git)" };
    case "restore":
      return mode === "plan"
        ? { symbol: "↺", verb: `will be restored from deleted items${change.deletedDateTime ? ` (deleted ${change.deletedDateTime})` : ""}` }
        : { symbol: "-", verb: `deleted outside git${change.deletedDateTime ? ` on ${change.deletedDateTime}` : ""} (restorable)` };
    case "noop":
      return { symbol: " ", verb: "unchanged" };
  }
}

/** The lines under a change's headline: its fields, notes and dependencies. */
export function changeLines(change: PlanChange, mode: RenderMode): Line[] {
  switch (change.action) {
    case "noop":
      return [];
    case "create":
      return [...flattenSpec(change.after).map(([p, v]): Line => ({ sign: mode === "plan" ? "+" : "-", text: `${p}: ${v}` })), ...extras(change, mode)];
    case "delete":
      return [...flattenSpec(change.before).map(([p, v]): Line => ({ sign: mode === "plan" ? "-" : "+", text: `${p}: ${v}` })), ...extras(change, mode)];
    case "update":
    case "restore": {
      const lines = fieldLines(change.fields, mode);
      if (change.action === "update" && change.replace && mode === "plan") {
        lines.push({ sign: "!", text: `Graph cannot change ${change.replace.fields.join(", ")} after creation: apply refuses unless recreate is allowed` });
      }
      return [...lines, ...extras(change, mode)];
    }
  }
}

function extras(change: Exclude<PlanChange, { action: "noop" }>, mode: RenderMode): Line[] {
  // Notes explain what apply will do; a drift report only shows what differs.
  const lines: Line[] = mode === "plan" ? change.notes.map((n) => ({ sign: "#", text: n })) : [];
  if (mode === "plan" && change.dependsOn.length) lines.push({ sign: "#", text: `after ${change.dependsOn.join(", ")}` });
  return lines;
}

/** Field changes as lines; set-array members of one array are items under one `~ path:` line. */
export function fieldLines(fields: readonly FieldChange[], mode: RenderMode): Line[] {
  const lines: Line[] = [];
  let i = 0;
  while (i < fields.length) {
    const field = oriented(fields[i] as FieldChange, mode);
    const suffix = field.createOnly ? "  (create-only)" : "";
    if (field.member) {
      const items: Array<["+" | "-", string]> = [];
      const split: Array<["+" | "-", string]> = [];
      while (i < fields.length && (fields[i] as FieldChange).member && (fields[i] as FieldChange).path === field.path) {
        const m = oriented(fields[i] as FieldChange, mode);
        const value = showMember(m.path, m.op === "add" ? m.after : m.before);
        const sign = m.op === "add" ? "+" : "-";
        items.push([sign, value]);
        split.push([sign, `${field.path}: ${value}${suffix}`]);
        i += 1;
      }
      // Adds first, then removes (the order field-diff gives within one path).
      items.sort((a, b) => (a[0] === b[0] ? 0 : a[0] === "+" ? -1 : 1));
      lines.push({ sign: "~", text: `${field.path}:${suffix}`, split, items });
      continue;
    }
    i += 1;
    if (field.rotation) {
      // A write-only secret written again: its version markers only, never a value.
      const text = `${field.path}: <rotated> (version ${rotationText(field.rotation)})`;
      lines.push({ sign: "~", text, split: [["+", text]] });
      continue;
    }
    switch (field.op) {
      case "add":
        lines.push({ sign: "+", text: `${field.path}: ${show(field.path, field.after)}${suffix}` });
        break;
      case "remove":
        lines.push({ sign: "-", text: `${field.path}: ${show(field.path, field.before)}${suffix}` });
        break;
      case "update":
        lines.push({
          sign: "~",
          text: `${field.path}: ${show(field.path, field.before)} → ${show(field.path, field.after)}${suffix}`,
          split: [
            ["-", `${field.path}: ${show(field.path, field.before)}`],
            ["+", `${field.path}: ${show(field.path, field.after)}${suffix}`],
          ],
        });
        break;
    }
  }
  return lines;
}

/** `1 → 2`, or `2, none applied before` when the environment recorded no marker. */
function rotationText(rotation: NonNullable<FieldChange["rotation"]>): string {
  return rotation.from === undefined ? `${String(rotation.to)}, none applied before` : `${String(rotation.from)} → ${String(rotation.to)}`;
}

/** In drift mode the tenant is the new side: git's value → the tenant's. */
function oriented(field: FieldChange, mode: RenderMode): FieldChange {
  if (mode === "plan") return field;
  const swapped: FieldChange = { ...field, before: field.after, after: field.before };
  if (field.op === "add") swapped.op = "remove";
  if (field.op === "remove") swapped.op = "add";
  if (swapped.before === undefined) delete swapped.before;
  if (swapped.after === undefined) delete swapped.after;
  return swapped;
}

/** A member as it is written in the document: a reference or sentinel bare (`user:x`), anything else as a value. */
function showMember(path: string, value: FieldChange["before"]): string {
  return typeof value === "string" && /^[^\s"'#,{}[\]]([^"]*\S)?$/.test(value) ? value : show(path, value);
}

function show(path: string, value: FieldChange["before"]): string {
  // An image's digest (company branding, engine/streams.ts) is shortened; the JSON plan keeps it whole.
  return value === undefined ? "(absent)" : (shortStreamValue(value) ?? formatValue(redactAt(path, value)));
}
