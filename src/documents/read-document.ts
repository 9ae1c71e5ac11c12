/**
 * One YAML document from text or from disk: safe parsing, then the envelope (kind, name, id, spec)
 * and the file's place (`<root>/<kind>/<name>.yaml`). Every problem becomes a diagnostic.
 */
import { documentFileName } from "../model/document-path.js";
import { readFile, lstat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { isKind } from "../model/kind.js";
import { decodeUtf8 } from "./decode.js";
import { nameProblem } from "./names.js";
import { parseYamlText } from "./yaml-source.js";
import type { Diagnostic, JsonObject, SourcedDocument } from "../model/document.js";

/** Largest document file read (1 MiB): a policy is a few KiB; an application with many roles ~100 KiB. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;
const ENVELOPE_KEYS = new Set(["kind", "name", "environments", "id", "spec"]);

export interface DocumentReadResult {
  document?: SourcedDocument;
  diagnostics: Diagnostic[];
}

/** Parse a document's text; `file` is only used in diagnostics and for the name/folder checks. */
export function parseDocumentText(text: string, file: string, options: { checkLocation?: boolean } = {}): DocumentReadResult {
  const parsed = parseYamlText(text, file);
  const diagnostics = [...parsed.diagnostics];
  if (parsed.value === undefined) return { diagnostics };
  const data = parsed.value as Record<string, unknown>;
  const fail = (path: string, message: string, which: "key" | "value" = "value"): void => {
    const pos = parsed.positionOf(path ? [path] : [], which) ?? { line: 1, column: 1 };
    diagnostics.push({ severity: "error", file, ...pos, ...(path ? { path } : {}), message });
  };
  for (const key of Object.keys(data)) {
    if (!ENVELOPE_KEYS.has(key)) fail(key, `unknown top-level key "${key}": a document has kind, name, environments (optional), id and spec`, "key");
  }
  const { kind, name, id, spec, environments } = data;
  if (kind === undefined) fail("", "missing kind");
  else if (typeof kind !== "string" || !isKind(kind)) fail("kind", `unknown kind ${JSON.stringify(kind)}`);
  if (name === undefined) fail("", "missing name");
  else {
    const problem = nameProblem(name);
    if (problem) fail("name", problem);
  }
  if (id !== undefined && id !== null && (typeof id !== "string" || id.length === 0)) fail("id", "id must be a non-empty string");
  const environmentsProblem = environmentListProblem(environments);
  if (environmentsProblem) fail("environments", environmentsProblem);
  if (spec === undefined) fail("", "missing spec");
  else if (spec === null || typeof spec !== "object" || Array.isArray(spec)) fail("spec", "spec must be a mapping");
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };

  const doc: SourcedDocument = {
    kind: kind as SourcedDocument["kind"],
    name: name as string,
    ...(typeof id === "string" ? { id } : {}),
    ...(Array.isArray(environments) ? { environments: environments as string[] } : {}),
    spec: spec as JsonObject,
    file,
    positionOf: (path, which) => parsed.positionOf(path, which),
  };
  if (options.checkLocation !== false) checkLocation(doc, diagnostics, parsed.positionOf(["name"]));
  return { document: doc, diagnostics };
}

/** `environments:` is a non-empty list of distinct environment names, or absent. */
function environmentListProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const form = "environments must be a list of environment names, e.g. [test] (leave it out for every environment)";
  if (!Array.isArray(value) || value.length === 0) return form;
  if (!value.every((item) => typeof item === "string" && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(item))) return form;
  if (new Set(value).size !== value.length) return "environments lists a name twice";
  return undefined;
}

function checkLocation(doc: SourcedDocument, diagnostics: Diagnostic[], namePos: { line: number; column: number } | undefined): void {
  const pos = namePos ?? { line: 1, column: 1 };
  const folder = basename(dirname(doc.file));
  const fileName = basename(doc.file);
  if (folder !== doc.kind) {
    diagnostics.push({ severity: "error", file: doc.file, ...pos, path: "kind", message: `a ${doc.kind} document belongs in the folder ${doc.kind}/, not ${folder}/` });
  }
  if (fileName !== documentFileName(doc.name)) {
    diagnostics.push({ severity: "error", file: doc.file, ...pos, path: "name", message: `file name must be ${doc.name}.yaml (the document's name)` });
  }
}

/** Read one document file, refusing symlinks, files over MAX_DOCUMENT_BYTES and invalid UTF-8. */
export async function readDocumentFile(file: string, options: { checkLocation?: boolean } = {}): Promise<DocumentReadResult> {
  const refuse = (message: string): DocumentReadResult => ({ diagnostics: [{ severity: "error", file, message }] });
  let info;
  try {
    info = await lstat(file);
  } catch (e) {
    return refuse(`cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (info.isSymbolicLink()) return refuse("refused: symbolic links are not followed");
  if (!info.isFile()) return refuse("not a regular file");
  if (info.size > MAX_DOCUMENT_BYTES) return refuse(`refused: file is ${info.size} bytes, over the ${MAX_DOCUMENT_BYTES}-byte limit for a document`);
  const decoded = decodeUtf8(await readFile(file));
  if (!decoded.ok) return refuse(`refused: ${decoded.reason}`);
  return parseDocumentText(decoded.text, file, options);
}
