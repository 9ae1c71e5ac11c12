/** Where a document lives: `<root>/<kind>/<name>.yaml`, checked to stay inside the configuration folder. */
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { documentFileName } from "../model/document-path.js";
import { isKind } from "../model/kind.js";
import { nameProblem } from "./names.js";

/** A write that would land outside the configuration folder, or under a name that is not valid. */
export class UnsafeDocumentPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsafeDocumentPathError";
  }
}

/** The last absolute root resolved (an export asks for 100,000 paths under one root). */
let lastRoot: { root: string; base: string } | undefined;

function resolvedRoot(root: string): string {
  if (!isAbsolute(root)) return resolve(root); // relative to the current folder, which may change
  if (lastRoot?.root !== root) lastRoot = { root, base: resolve(root) };
  return lastRoot.base;
}

/** `<root>/<kind>/<name>.yaml`, after checking that kind and name are valid and the result stays in root. */
export function documentPath(root: string, kind: string, name: string): string {
  if (!isKind(kind)) throw new UnsafeDocumentPathError(`refused to write: unknown kind "${kind}"`);
  const problem = nameProblem(name);
  if (problem) throw new UnsafeDocumentPathError(`refused to write ${kind}/${String(name)}: ${problem}`);
  const base = resolvedRoot(root);
  // A kind is an identifier and a valid name has no separator, no "..", no leading "." (names.ts):
  // the joined path is the resolved one, and stays in root.
  if (!base.endsWith(sep)) return `${base}${sep}${kind}${sep}${documentFileName(name)}`;
  const target = resolve(base, kind, documentFileName(name));
  const rel = relative(base, target);
  if (rel.startsWith("..") || isAbsolute(rel) || rel !== join(kind, documentFileName(name))) {
    throw new UnsafeDocumentPathError(`refused to write ${kind}/${name}: the path leaves ${base}`);
  }
  return target;
}
