/**
 * The two look-up tables import uses besides the exports themselves: the user's `--map` file
 * (placeholder or display name → reference or value) and IntuneManagement's `MigrationTable.json`
 * (object id → display name, written next to exported policies).
 */
import { readFile } from "node:fs/promises";
import { decodeAnyText } from "../../documents/decode.js";
import type { JsonValue } from "../../model/document.js";
import { parseYamlText } from "../../documents/yaml-source.js";
import { isJsonObject } from "../../model/json.js";

/** `--map` entries; a placeholder may be written with or without its angle brackets. */
export class ValueMap {
  private readonly entries = new Map<string, string>();
  readonly used = new Set<string>();

  constructor(entries: Record<string, string> = {}) {
    for (const [key, value] of Object.entries(entries)) this.entries.set(key, value);
  }

  get size(): number {
    return this.entries.size;
  }

  lookup(value: string): string | undefined {
    const direct = this.entries.get(value);
    const bare = isPlaceholder(value) ? this.entries.get(value.slice(1, -1)) : undefined;
    const found = direct ?? bare;
    if (found !== undefined) this.used.add(value);
    return found;
  }
}

/** `<EmergencyAccessAccountsGroup>`, `<RING>`: a template's blank to fill in. */
export function isPlaceholder(value: string): boolean {
  return /^<[^<>\s][^<>]*>$/.test(value);
}

/** Placeholders inside free text (`100 - <RING> - Admin protection`). */
export const PLACEHOLDER_IN_TEXT = /<[A-Za-z][A-Za-z0-9_ .-]*>/g;

export class MapFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MapFileError";
  }
}

/** Read a `--map` file: a YAML or JSON mapping of strings to strings. */
export async function readMapFile(path: string): Promise<ValueMap> {
  const decoded = decodeAnyText(await readFile(path));
  if (!decoded.ok) throw new MapFileError(`${path}: ${decoded.reason}`);
  const parsed = parseYamlText(decoded.text, path);
  const first = parsed.diagnostics.find((d) => d.severity === "error");
  if (first) throw new MapFileError(`${path}:${first.line ?? 1}:${first.column ?? 1}: ${first.message}`);
  const entries: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.value as Record<string, unknown>)) {
    if (typeof value !== "string") throw new MapFileError(`${path}: the value of ${JSON.stringify(key)} must be a string (a reference such as group:<name>, a GUID, or text)`);
    entries[key] = value;
  }
  return new ValueMap(entries);
}

export interface MigrationEntry {
  displayName: string;
  type: string;
}

/** IntuneManagement's `{ TenantId, Objects: [{ DisplayName, Id, Type }] }`, or undefined for anything else. */
export function migrationTable(value: JsonValue): Map<string, MigrationEntry> | undefined {
  if (!isJsonObject(value) || !Array.isArray(value.Objects) || !("TenantId" in value)) return undefined;
  const table = new Map<string, MigrationEntry>();
  for (const item of value.Objects) {
    if (!isJsonObject(item) || typeof item.Id !== "string" || typeof item.DisplayName !== "string") continue;
    table.set(item.Id.toLowerCase(), { displayName: item.DisplayName, type: typeof item.Type === "string" ? item.Type : "" });
  }
  return table;
}
