/**
 * The deterministic document writer (docs/design.md §2): the same document always gives the same bytes.
 *
 * - Envelope order kind, name, environments, id, spec. Inside spec, `@odata.type` first, then keys sorted by code
 *   point. Why sorted rather than "Graph's order": the CSDL itself lists each type's properties
 *   alphabetically (only inherited ones come first), so sorting is Graph's order for nearly every
 *   key, needs no schema at write time, and stays stable for beta properties the v1.0 CSDL lacks.
 * - Arrays keep their order (set-like arrays are sorted by the kind's normalization beforehand).
 * - First line: the yaml-language-server modeline pointing at `<kind>.schema.json` (its
 *   `<kind>.beta.schema.json` for a kind managed through Graph beta) in the repository's
 *   `.entra-gitops/schemas/` (copied there by init and export, README "Document format").
 * - A GUID with a known display name (`annotations`) is followed by `# <display name>`.
 * - LF line ends, trailing newline, no line folding, strings quoted only when YAML needs it.
 */
import { Document, visit } from "yaml";
import type { EntraDocument, JsonObject, JsonValue } from "../model/document.js";
import { isGuid } from "../kinds/reference-syntax.js";
import { formatPlainBody, YAML11_AMBIGUOUS } from "./format-plain.js";

export interface FormatOptions {
  /** Display names of objects by id (any case), written as a comment after a GUID that stays a GUID. */
  annotations?: Readonly<Record<string, string>>;
  /** Folder of the schemas relative to the document file; default `../../.entra-gitops/schemas` (tenant-config/<kind>/). */
  schemaDir?: string;
  /** Schema file name; default `<kind>.schema.json` (`<kind>.beta.schema.json` for a kind managed through beta). */
  schemaFile?: string;
}

export function schemaModeline(kind: string, schemaDir = "../../.entra-gitops/schemas", schemaFile = `${kind}.schema.json`): string {
  return `# yaml-language-server: $schema=${schemaDir}/${schemaFile}`;
}

/** Deep copy with `@odata.type` first and the other keys sorted. */
export function orderKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(orderKeys);
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: JsonObject = {};
  for (const key of keys) out[key] = orderKeys(value[key] as JsonValue);
  return out;
}

function rank(key: string): number {
  return key === "@odata.type" ? 0 : 1;
}

export function formatDocument(document: EntraDocument, options: FormatOptions = {}): string {
  const annotations = normalizeAnnotations(options.annotations);
  const envelope: JsonObject = { kind: document.kind, name: document.name };
  if (document.environments !== undefined) envelope.environments = [...document.environments];
  if (document.id !== undefined) envelope.id = document.id;
  envelope.spec = document.spec;
  // Most documents need no YAML tree: the direct emitter writes the same bytes (format-plain.ts).
  const plain = formatPlainBody(envelope, annotations);
  const body = plain ?? formatWithLibrary(envelope, annotations);
  const text = `${schemaModeline(document.kind, options.schemaDir, options.schemaFile)}\n${body}`;
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** The document body through the YAML library: every value, however unusual, written safely. */
export function formatWithLibrary(envelope: JsonObject, annotations: ReadonlyMap<string, string>): string {
  const doc = new Document({ ...envelope, spec: orderKeys(envelope.spec ?? {}) }, { version: "1.2" });
  // One pass over the tree (formatting is most of export's CPU time at scale).
  visit(doc, {
    Scalar(key, node) {
      if (typeof node.value !== "string") return;
      // A GUID that stays a GUID gets its display name as a comment.
      if (annotations.size > 0 && key !== "key" && isGuid(node.value)) {
        const label = annotations.get(node.value.toLowerCase());
        if (label) node.comment = ` ${oneLine(label)}`;
      }
      // Strings a YAML 1.1 reader (PyYAML, older tools in CI) would take for booleans or
      // sexagesimal numbers are quoted, so every reader sees the same string.
      if (YAML11_AMBIGUOUS.test(node.value)) node.type = "QUOTE_DOUBLE";
    },
    // Empty collections print as [] and {}; everything else in block style.
    Map(_, node) {
      node.flow = node.items.length === 0;
    },
    Seq(_, node) {
      node.flow = node.items.length === 0;
    },
  });
  return doc.toString({
    lineWidth: 0,
    minContentWidth: 0,
    indent: 2,
    indentSeq: true,
    defaultStringType: "PLAIN",
    defaultKeyType: "PLAIN",
    doubleQuotedAsJSON: true,
    nullStr: "null",
    trueStr: "true",
    falseStr: "false",
  });
}

function normalizeAnnotations(annotations: Readonly<Record<string, string>> | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const [id, label] of Object.entries(annotations ?? {})) if (label.trim()) map.set(id.toLowerCase(), label);
  return map;
}

/** A comment must stay on one line and cannot contain anything that ends it. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, " ").trim();
}
