import { readFileSync } from "node:fs";
import { isMap, isSeq, LineCounter, parseDocument } from "yaml";
import type { SourcePosition } from "../model/document.js";
import { positionOf } from "./yaml-positions.js";
import type { ResolvedConfig } from "./types.js";

/** One configured break-glass entry and where it is written in entra-gitops.yaml. */
export interface BreakGlassSite {
  field: "accounts" | "groups";
  value: string;
  /** `breakGlass.accounts[0]`, or `environments.<env>.breakGlass.accounts[0]` when the environment overrides it. */
  path: string;
  file?: string;
  position?: SourcePosition;
  /** The entry as written, when it is a `${name}` template rendered with the environment's vars. */
  template?: string;
  /** The environment whose vars rendered it. */
  environment?: string;
}

/**
 * The resolved configuration's break-glass entries with their file, line and field path: an
 * environment's `breakGlass` key replaces the top-level one field by field (config/resolve.ts), so
 * each field is looked up where it came from. Without a file (built-in defaults), paths only.
 */
export function breakGlassSites(config: ResolvedConfig): BreakGlassSite[] {
  let text: string | undefined;
  try {
    text = config.file ? readFileSync(config.file, "utf8") : undefined;
  } catch {
    text = undefined;
  }
  const lines = new LineCounter();
  const doc = text === undefined ? undefined : parseDocument(text, { lineCounter: lines });
  const sites: BreakGlassSite[] = [];
  for (const field of ["accounts", "groups"] as const) {
    const envPath = config.environment ? ["environments", config.environment.name, "breakGlass", field] : undefined;
    const fromEnv = envPath !== undefined && doc !== undefined && isSeq(nodeAt(doc.contents, envPath));
    const base = fromEnv && envPath ? envPath : ["breakGlass", field];
    const seq = doc === undefined ? undefined : nodeAt(doc.contents, base);
    config.breakGlass[field].forEach((value, i) => {
      const position = doc ? positionOf(doc, lines, [...base, String(i)]) : undefined;
      const written: unknown = isSeq(seq) ? seq.get(i, false) : undefined;
      const template = typeof written === "string" && written !== value && written.includes("${") ? written : undefined;
      sites.push({ field, value, path: `${base.join(".")}[${i}]`, ...(config.file ? { file: config.file } : {}), ...(position ? { position } : {}), ...(template ? { template, ...(config.environment ? { environment: config.environment.name } : {}) } : {}) });
    });
  }
  return sites;
}

function nodeAt(node: unknown, path: readonly string[]): unknown {
  let current = node;
  for (const key of path) {
    if (!isMap(current)) return undefined;
    current = current.get(key, true);
  }
  return current;
}
