/**
 * Reads one Graph JSON export as administrators keep them: UTF-8, UTF-8 with BOM, UTF-16 LE/BE with
 * BOM (PowerShell's default), CRLF. Invalid JSON is refused with file:line:column; a trailing comma
 * (as on some Graph docs pages) gets its own message instead of the parser's.
 */
import { readFileSync } from "node:fs";

export class GraphJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GraphJsonError";
  }
}

export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString("utf16le");
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString("utf16le");
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString("utf8");
  return bytes.toString("utf8");
}

function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `${line}:${column}`;
}

/** Offset of the first comma followed (after whitespace) by `}` or `]`, outside strings; -1 if none. */
export function findTrailingComma(text: string): number {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === ",") {
      const rest = /^\s*([}\]])/.exec(text.slice(i + 1, i + 200));
      if (rest) return i;
    }
  }
  return -1;
}

export function parseGraphJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const comma = findTrailingComma(text);
    if (comma >= 0) throw new GraphJsonError(`${file}:${position(text, comma)}: trailing comma is not valid JSON (Graph refuses it too); remove the comma`);
    const match = /position (\d+)/.exec(error instanceof Error ? error.message : "");
    const where = match?.[1] ? `:${position(text, Number(match[1]))}` : "";
    throw new GraphJsonError(`${file}${where}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function readGraphJsonFile(path: string): unknown {
  return parseGraphJson(decodeText(readFileSync(path)), path);
}
