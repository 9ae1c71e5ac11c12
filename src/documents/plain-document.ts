/**
 * What export needs to know of a document already in the folder, read from its bytes without
 * parsing them (README "export"): a file shaped as export writes it, a comment line (the modeline),
 * then exactly `kind: <its folder>`, `name: <its file name>` and a block `spec:` mapping (or
 * `spec: {}`), with no `$` and no backslash after the first line, is a document of that kind and
 * name with no `id:`, no `environments:` and no `${...}` template anywhere (so the environment's
 * view of it is itself). Anything else (another key at the top, a comment or blank line after the
 * modeline, CR line ends, a quoted name the emitter would not write) is left to the YAML parser.
 *
 * Why the tests are enough: in YAML a top-level key starts at column 0, and every line after
 * `spec:` starts with a space, so nothing but `spec`'s own value follows it; the first three
 * lines are the top-level keys themselves (only a comment precedes them); a `$` can only be
 * written in a value as itself or through a backslash escape of a double-quoted string, and the
 * text has neither. What the check cannot tell is whether `spec`'s value parses at all (a
 * duplicate key, a bad indentation): export compares the bytes with what it writes, and reads a
 * file it would remove with the parser first (src/engine/export.ts).
 */
import { stringText } from "./format-plain.js";

/** A line break some YAML reader knows besides LF: the parser decides then. */
const OTHER_LINE_BREAK = /[\r\u0085\u2028\u2029]/;
/** A `$` or a backslash (which could escape one): the parser decides then. */
const DOLLAR_OR_ESCAPE = /[$\\]/;
/** A line break followed by anything but a space (a top-level key, a comment or blank line, a tab). */
const LINE_AT_COLUMN_0 = /\n[^ ]/;
/** The first line of `spec`'s block: an entry of a mapping (a key, never `-` of a sequence or a flow value). */
const MAPPING_ENTRY = /^ {2}(?:[A-Za-z_]|"@odata\.type":)/;

/** True when `text`, the file `<kind>/<name>.yaml`, is certainly a plain export of that kind and name (see above). */
export function isPlainDocument(text: string, kind: string, name: string): boolean {
  if (!text.startsWith("#")) return false;
  const firstLine = text.indexOf("\n");
  if (firstLine < 0 || OTHER_LINE_BREAK.test(text) || DOLLAR_OR_ESCAPE.test(text.slice(firstLine))) return false;
  const kindText = stringText(kind);
  const nameText = stringText(name);
  if (kindText === undefined || nameText === undefined || kindText !== kind) return false;
  const header = `\nkind: ${kindText}\nname: ${nameText}\nspec:`;
  if (!text.startsWith(header, firstLine)) return false;
  const rest = text.slice(firstLine + header.length);
  if (rest === " {}\n") return true;
  if (!rest.startsWith("\n")) return false;
  const block = rest.slice(1);
  return MAPPING_ENTRY.test(block) && !LINE_AT_COLUMN_0.test(block);
}
