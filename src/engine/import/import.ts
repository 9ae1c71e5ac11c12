/**
 * `import --from DIR [--map FILE]`: other tools' Graph JSON exports → documents (docs/design.md §4). Every
 * file is either converted or refused with a precise reason; converted documents are validated
 * like `validate` does, and only valid ones are written (atomically, never over a different file).
 */
import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { formatDocument } from "../../documents/format-document.js";
import { uniqueName } from "../../documents/names.js";
import { parseDocumentText } from "../../documents/read-document.js";
import { readConfigTree } from "../../documents/read-tree.js";
import type { Diagnostic, JsonObject, JsonValue, SourcedDocument } from "../../model/document.js";
import { documentPath, writeDocument } from "../../documents/write-document.js";
import type { GraphVersions } from "../../kinds/graph-versions.js";
import type { Kind } from "../../model/kind.js";
import { allReferenceFields, normalizeLive } from "../../kinds/normalize.js";
import type { NormalizedObject } from "../../kinds/normalize.js";
import { cloneJson, isJsonObject } from "../../model/json.js";
import { NO_IDS } from "../../kinds/references.js";
import { getKind, naturalKeyValue } from "../../kinds/registry.js";
import { validateDocuments } from "../validate.js";
import { detectKind } from "./detect-kind.js";
import { dropSameObjects, dropTwins, keepersFirst } from "./duplicates.js";
import type { DetectedObject } from "./duplicates.js";
import { ImportIndex } from "./import-index.js";
import { fillTextPlaceholders, mapReferenceValues } from "./map-references.js";
import { ValueMap, migrationTable } from "./maps.js";
import { embeddedStrength } from "./embedded-strengths.js";
import { fromPowerShell, isPowerShellObject } from "./powershell.js";
import { readJsonFile } from "./read-json.js";

export interface ImportOptions {
  /** Folder of Graph JSON exports, searched recursively for `*.json`. */
  from: string;
  /** The configuration folder documents are written to. */
  to: string;
  map?: ValueMap;
  /** Convert and validate, write nothing. */
  dryRun?: boolean;
  /** `graphVersion:` of the configuration: kinds managed through beta accept their beta properties. */
  graphVersions?: GraphVersions;
  /** The documents' modeline folder (`schemaDirFor` of the configuration); default for `tenant-config/`. */
  schemaDir?: string;
}

export interface ImportedDocument {
  source: string;
  kind: Kind;
  name: string;
  path: string;
  outcome: "created" | "unchanged" | "planned";
  /** What import did besides converting (PowerShell SDK casing, a strength taken out of a policy). */
  notes?: string[];
}

export interface RefusedFile {
  source: string;
  reasons: string[];
  /** Validation diagnostics of the converted document, positioned in the YAML it would have been. */
  diagnostics?: Diagnostic[];
}

export interface ImportReport {
  imported: ImportedDocument[];
  refused: RefusedFile[];
  /** Files used as look-up tables (MigrationTable.json), not converted. */
  tables: string[];
  /** --map entries never used (a typo in the map is worth a warning). */
  unusedMapEntries: number;
}

interface Candidate extends DetectedObject {
  name: string;
}

async function listJsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listJsonFiles(path)));
    else if (entry.isFile() && /\.json$/i.test(entry.name)) out.push(path);
  }
  return out;
}

/**
 * The objects of a file: a JSON array, a Graph list response (`value` next to any instance
 * annotations: `@odata.*`, `@microsoft.graph.tips`, …), or one object.
 */
function itemsOf(value: JsonValue): JsonValue[] {
  if (Array.isArray(value)) return value;
  if (isJsonObject(value) && Array.isArray(value.value) && Object.keys(value).every((k) => k === "value" || k.startsWith("@"))) return value.value;
  if (isJsonObject(value) && Array.isArray(value.Value) && Object.keys(value).every((k) => k === "Value" || k === "Count" || k.startsWith("@"))) return value.Value;
  return [value];
}

export async function importExports(options: ImportOptions): Promise<ImportReport> {
  const map = options.map ?? new ValueMap();
  const report: ImportReport = { imported: [], refused: [], tables: [], unusedMapEntries: 0 };
  const index = new ImportIndex();
  const existing = await readConfigTree(options.to).catch(() => ({ documents: [] as SourcedDocument[], diagnostics: [] }));
  for (const doc of existing.documents) index.add(doc, { id: doc.id, ...doc.spec });

  // 1. Read every file; keep look-up tables aside; tell each object's kind (all files first:
  //    MigrationTable.json may come after the objects it names).
  const candidates: Candidate[] = [];
  const taken = new Map<Kind, Set<string>>();
  const claimed = new Set<string>();
  const detectedObjects: DetectedObject[] = [];
  const proposals = new Map<DetectedObject, NormalizedObject>();
  const detect = (source: string, kind: Kind, item: JsonObject, notes: readonly string[]): void => {
    const descriptor = getKind(kind);
    const proposal = normalizeLive(descriptor, fillTextPlaceholders(cloneJson(item), map) as JsonObject, NO_IDS);
    const shown = proposal.spec.displayName;
    const key = naturalKeyValue(descriptor, proposal.spec);
    const object: DetectedObject = { source, kind, raw: item, ...(typeof shown === "string" ? { displayName: shown } : {}), ...(notes.length > 0 ? { notes: [...notes] } : {}) };
    if (proposal.id !== undefined) object.id = proposal.id;
    if (key !== undefined) object.naturalKey = key;
    proposals.set(object, proposal);
    detectedObjects.push(object);
  };
  for (const file of await listJsonFiles(options.from)) {
    const source = relative(options.from, file) || basename(file);
    const read = await readJsonFile(file);
    if (!read.ok) {
      report.refused.push({ source, reasons: [read.reason] });
      continue;
    }
    const table = migrationTable(read.value);
    if (table) {
      index.addMigrationTable(table);
      report.tables.push(source);
      continue;
    }
    const items = itemsOf(read.value);
    items.forEach((item, i) => {
      const label = items.length > 1 ? `${source}[${i}]` : source;
      if (!isJsonObject(item)) {
        report.refused.push({ source: label, reasons: ["not a JSON object"] });
        return;
      }
      let graphItem = item;
      const notes: string[] = [];
      if (isPowerShellObject(item)) {
        const converted = fromPowerShell(item);
        if (!converted.ok) {
          report.refused.push({ source: label, reasons: [converted.reason] });
          return;
        }
        graphItem = converted.value;
        notes.push("PowerShell SDK output: PascalCase properties and AdditionalProperties converted to Graph's camelCase JSON");
      }
      const detected = detectKind(graphItem, basename(dirname(file)));
      if ("reason" in detected) {
        const why = graphItem === item ? casingHint(item) : " (read as PowerShell SDK output: its PascalCase keys were converted to camelCase)";
        report.refused.push({ source: label, reasons: [detected.reason + why] });
        return;
      }
      detect(label, detected.kind, graphItem, notes);
    });
  }

  // Custom authentication strengths defined inside policies: documents of their own (once per id,
  // and not when the strength's own export is imported too).
  const strengthIds = new Set(detectedObjects.filter((o) => o.kind === "authenticationStrengthPolicy" && o.id !== undefined).map((o) => (o.id as string).toLowerCase()));
  for (const policy of detectedObjects.filter((o) => o.kind === "conditionalAccessPolicy")) {
    const strength = embeddedStrength(policy.raw);
    if (!strength || strengthIds.has(strength.id)) continue;
    strengthIds.add(strength.id);
    detect(`${policy.source} (grantControls.authenticationStrength)`, "authenticationStrengthPolicy", strength.object, [`defined inside the policy ${policy.source}: imported as a document of its own, which the policy references by name`]);
  }

  // 2. The same object twice (one id in two files): imported once.
  const { kept, refused: duplicates } = dropSameObjects(detectedObjects, { migrationName: (id) => index.migrationName(id) });
  report.refused.push(...duplicates);
  for (const object of keepersFirst(kept)) {
    const proposal = proposals.get(object) as NormalizedObject;
    const names = taken.get(object.kind) ?? new Set(existing.documents.filter((d) => d.kind === object.kind).map((d) => d.name));
    taken.set(object.kind, names);
    // The same object imported again keeps the name of its document: matched by id (documents of
    // older imports carry one), else by natural key when exactly one document of the kind has it,
    // else by the name it would get (its document was edited since).
    const byId = proposal.id ? existing.documents.find((d) => d.kind === object.kind && d.id === proposal.id) : undefined;
    const key = naturalKeyValue(getKind(object.kind), object.raw)?.toLowerCase();
    const byKey = key === undefined ? [] : existing.documents.filter((d) => d.kind === object.kind && d.id === undefined && naturalKeyValue(getKind(d.kind), d.spec)?.toLowerCase() === key);
    const byName = existing.documents.find((d) => d.kind === object.kind && d.id === undefined && d.name === proposal.name);
    const same = byId ?? (byKey.length === 1 ? byKey[0] : byName);
    const name = same && !claimed.has(`${same.kind}/${same.name}`) ? same.name : uniqueName(proposal.name, names);
    claimed.add(`${object.kind}/${name}`);
    candidates.push({ ...object, name });
    index.add({ kind: object.kind, name, spec: {} }, object.raw);
  }

  // 3. Convert: references mapped, then the same normalization export applies.
  const converted: Array<{ candidate: Candidate; document: SourcedDocument; text: string; annotations: Record<string, string> }> = [];
  for (const candidate of candidates) {
    const descriptor = getKind(candidate.kind);
    const raw = cloneJson(candidate.raw);
    const problems = mapReferenceValues(raw, allReferenceFields(descriptor), map, index);
    if (problems.length > 0) {
      // Beta-only properties are said at once: a --map entry alone would not make this object importable.
      report.refused.push({ source: candidate.source, reasons: [...problems, ...betaPropertyReasons(candidate, raw, map, index, options.to)] });
      continue;
    }
    const filled = fillTextPlaceholders(raw, map) as JsonObject;
    const normalized = normalizeLive(descriptor, filled, index);
    const annotations = guidAnnotations(normalized.spec, normalized.annotations);
    // No `id:` line: the export's ids belong to the tenant it came from, not to any environment
    // of this configuration (ids live in each environment's id map; README "Several tenants").
    const doc = { kind: candidate.kind, name: candidate.name, spec: normalized.spec };
    const path = documentPath(options.to, candidate.kind, candidate.name);
    const text = formatDocument(doc, { annotations, ...(options.schemaDir !== undefined ? { schemaDir: options.schemaDir } : {}) });
    const parsed = parseDocumentText(text, path);
    if (!parsed.document) {
      report.refused.push({ source: candidate.source, reasons: parsed.diagnostics.map((d) => d.message) });
      continue;
    }
    converted.push({ candidate, document: parsed.document, text, annotations });
  }

  // 4. Validate together (references between imported documents count); drop the invalid ones
  //    until what is left is valid on its own.
  // Twins plan could not tell apart once both exist (one natural key, no id on one side): one of them.
  const twins = dropTwins(converted.map((c) => c.candidate));
  report.refused.push(...twins.refused);
  let accepted = converted.filter((c) => twins.kept.includes(c.candidate));
  for (;;) {
    const diagnostics = validateDocuments(accepted.map((c) => c.document), { context: existing.documents, ...(options.graphVersions ? { graphVersions: options.graphVersions } : {}) });
    const errorsByFile = new Map<string, Diagnostic[]>();
    for (const d of diagnostics) if (d.severity === "error" && d.file) errorsByFile.set(d.file, [...(errorsByFile.get(d.file) ?? []), d]);
    if (errorsByFile.size === 0) break;
    for (const c of accepted) {
      const errors = errorsByFile.get(c.document.file);
      if (!errors) continue;
      const reasons = errors.map((d) => `${d.path ?? ""}: ${d.message}`);
      report.refused.push({ source: c.candidate.source, reasons, diagnostics: errors });
    }
    accepted = accepted.filter((c) => !errorsByFile.has(c.document.file));
  }

  // 5. Write (or plan) the valid documents; never replace a different existing file.
  for (const { candidate, document, text, annotations } of accepted) {
    const current = await readFile(document.file, "utf8").catch(() => undefined);
    if (current !== undefined && current !== text) {
      report.refused.push({ source: candidate.source, reasons: [`${relative(process.cwd(), document.file)} already exists with other content; import never overwrites`] });
      continue;
    }
    let outcome: ImportedDocument["outcome"] = current === undefined ? "created" : "unchanged";
    if (options.dryRun) outcome = "planned";
    else if (current === undefined) await writeDocument(options.to, document, { annotations, ...(options.schemaDir !== undefined ? { schemaDir: options.schemaDir } : {}) });
    report.imported.push({ source: candidate.source, kind: candidate.kind, name: candidate.name, path: document.file, outcome, ...(candidate.notes ? { notes: candidate.notes } : {}) });
  }
  report.refused.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  report.unusedMapEntries = map.size - map.used.size;
  return report;
}

/** Graph's camelCase keys next to PascalCase ones: the casing is the likely problem, worth a hint. */
function casingHint(item: JsonObject): string {
  const keys = Object.keys(item).filter((k) => !k.startsWith("@"));
  const mixed = keys.some((k) => /^[A-Z]/.test(k)) && keys.some((k) => /^[a-z]/.test(k));
  return mixed ? " (Graph property names are camelCase, e.g. displayName; PowerShell SDK output with PascalCase keys is converted when the whole object is PascalCase)" : "";
}

/** The Graph beta properties of an object refused for its values (none when it does not convert at all). */
function betaPropertyReasons(candidate: Candidate, raw: JsonObject, map: ValueMap, index: ImportIndex, to: string): string[] {
  const normalized = normalizeLive(getKind(candidate.kind), fillTextPlaceholders(raw, map) as JsonObject, index);
  const doc = { kind: candidate.kind, name: candidate.name, spec: normalized.spec };
  const parsed = parseDocumentText(formatDocument(doc), documentPath(to, candidate.kind, candidate.name));
  if (!parsed.document) return [];
  return validateDocuments([parsed.document])
    .filter((d) => d.severity === "error" && d.message.startsWith("a Graph beta property"))
    .map((d) => `${d.path ?? ""}: ${d.message}`);
}

/** The normalizer reports unmanaged GUIDs by indexed path; the writer wants GUID → display name. */
function guidAnnotations(spec: JsonObject, byPath: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, displayName] of Object.entries(byPath)) {
    let node: JsonValue | undefined = spec;
    for (const part of path.split(/\.|(?=\[)/)) {
      const m = /^\[(\d+)\]$/.exec(part);
      if (m) node = Array.isArray(node) ? node[Number(m[1])] : undefined;
      else node = isJsonObject(node) ? node[part] : undefined;
    }
    if (typeof node === "string") out[node] = displayName;
  }
  return out;
}
