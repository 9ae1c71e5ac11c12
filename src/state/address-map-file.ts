/**
 * The text format shared by the per-environment state files (`ids.yaml`, `credentials.yaml`): a
 * comment header, then one top-level key per document address `KIND/NAME`, sorted, so the same
 * state always gives the same bytes and a change is a one-line diff. Parsing is the documents'
 * safe YAML reader (size, alias, duplicate-key and `__proto__` limits) and every problem is a
 * diagnostic naming the file and line.
 */
import { Document } from "yaml";
import type { Diagnostic, JsonValue } from "../model/document.js";
import { FORBIDDEN_KEYS, parseYamlText } from "../documents/yaml-source.js";
import { parseAddress } from "../model/kind.js";

export interface AddressMapText<T extends JsonValue> {
  entries: Map<string, T>;
  diagnostics: Diagnostic[];
}

/** Reads `KIND/NAME: value` entries; `check` returns a problem with a value, or undefined. */
export function parseAddressMap<T extends JsonValue>(text: string, file: string, check: (value: JsonValue) => string | undefined): AddressMapText<T> {
  const entries = new Map<string, T>();
  if (text.trim() === "" || /^(\s*#.*\n?)*\s*$/.test(text)) return { entries, diagnostics: [] };
  const plain = parsePlainLines<T>(text, file, check);
  if (plain) return plain;
  const parsed = parseYamlText(text, file);
  const diagnostics = [...parsed.diagnostics];
  if (parsed.value === undefined) return { entries, diagnostics };
  for (const [key, value] of Object.entries(parsed.value as Record<string, JsonValue>)) {
    const at = (which: "key" | "value"): { line?: number; column?: number } => parsed.positionOf([key], which) ?? {};
    if (!parseAddress(key)) {
      diagnostics.push({ severity: "error", file, ...at("key"), path: key, message: `"${key}" is not a document address KIND/NAME` });
      continue;
    }
    const problem = check(value);
    if (problem) {
      diagnostics.push({ severity: "error", file, ...at("value"), path: key, message: problem });
      continue;
    }
    entries.set(key, value as T);
  }
  return { entries, diagnostics };
}

const PLAIN = /^[A-Za-z0-9][A-Za-z0-9._/@+-]*$/;
const PLAIN_LINE = /^([A-Za-z0-9][A-Za-z0-9._/@+-]*): ([A-Za-z0-9][A-Za-z0-9._/@+-]*)$/;

/**
 * The file as `formatAddressMap` writes string maps (comments, then `KEY: VALUE` lines of plain
 * scalars that no YAML reader takes for anything but a string), read line by line: what the YAML
 * reader would give, without building a syntax tree of a hundred thousand nodes. Undefined when any
 * line is outside that form (the YAML reader then reads the file, with its own checks).
 */
function parsePlainLines<T extends JsonValue>(text: string, file: string, check: (value: JsonValue) => string | undefined): AddressMapText<T> | undefined {
  const entries = new Map<string, T>();
  const diagnostics: Diagnostic[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === "" || line.startsWith("#")) continue;
    const match = PLAIN_LINE.exec(line);
    if (!match) return undefined;
    const [, key, value] = match as unknown as [string, string, string];
    if (AMBIGUOUS.test(key) || AMBIGUOUS.test(value) || FORBIDDEN_KEYS.has(key) || entries.has(key)) return undefined;
    const lineNo = i + 1;
    if (!parseAddress(key)) {
      diagnostics.push({ severity: "error", file, line: lineNo, column: 1, path: key, message: `"${key}" is not a document address KIND/NAME` });
      continue;
    }
    const problem = check(value);
    if (problem) {
      diagnostics.push({ severity: "error", file, line: lineNo, column: key.length + 3, path: key, message: problem });
      continue;
    }
    entries.set(key, value as T);
  }
  return { entries, diagnostics };
}
const AMBIGUOUS = /^(?:[-+]?[\d._]+(?:e[-+]?\d+)?|0x[\da-f]+|0o[0-7]+|true|false|null|yes|no|on|off|y|n|~|\.inf|\.nan)$/i;

/** A string as a YAML scalar: plain when no reader could take it for anything else, else JSON-quoted. */
function scalar(text: string): string {
  return PLAIN.test(text) && !AMBIGUOUS.test(text) ? text : JSON.stringify(text);
}

/** The file's text: `header` lines as comments, then the entries sorted by address. */
export function formatAddressMap(entries: ReadonlyMap<string, JsonValue>, header: readonly string[]): string {
  const sorted: Record<string, JsonValue> = {};
  for (const key of [...entries.keys()].sort()) sorted[key] = entries.get(key) as JsonValue;
  const comment = header.map((line) => `# ${line}`.trimEnd()).join("\n");
  if (entries.size === 0) return `${comment}\n{}\n`;
  // One line per entry for string values (the id map: tens of thousands of lines at scale).
  const values = Object.values(sorted);
  if (values.every((v) => typeof v === "string")) {
    return `${comment}\n${Object.entries(sorted).map(([key, value]) => `${scalar(key)}: ${scalar(value as string)}`).join("\n")}\n`;
  }
  const body = new Document(sorted, { version: "1.2" }).toString({ lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: true });
  return `${comment}\n${body.endsWith("\n") ? body : `${body}\n`}`;
}
