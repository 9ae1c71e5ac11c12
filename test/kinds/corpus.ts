import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { JsonObject, JsonValue } from "../../src/model/document.js";

/** Reads the real-world corpus (`../shared/corpus`), which a plain clone does not have. */
export const corpusDir = join(process.cwd(), "..", "shared", "corpus");
export const hasCorpus = existsSync(corpusDir);

/** Corpus files are UTF-16LE or UTF-8, with or without a BOM; some have trailing commas. */
export function readCorpusJson(...parts: string[]): JsonObject {
  const bytes = readFileSync(join(corpusDir, ...parts));
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = bytes.subarray(2).toString("utf16le");
  else text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  const parsed = JSON.parse(text.replace(/,(\s*[}\]])/g, "$1")) as JsonValue;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${parts.join("/")}: not an object`);
  return parsed;
}

export function listCorpus(...parts: string[]): string[] {
  return readdirSync(join(corpusDir, ...parts)).filter((f) => f.endsWith(".json")).sort();
}
