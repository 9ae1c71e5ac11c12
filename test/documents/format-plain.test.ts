/**
 * The direct emitter (format-plain.ts) must give exactly the YAML library's bytes whenever it
 * answers: compared on every example document of the repository and on generated documents full of
 * strings YAML treats specially.
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { formatDocument, formatWithLibrary } from "../../src/documents/format-document.js";
import { formatPlainBody } from "../../src/documents/format-plain.js";
import { readConfigTree } from "../../src/documents/read-tree.js";
import type { JsonObject, JsonValue } from "../../src/model/document.js";

const GUID = "5ca1e001-0000-4000-8000-00000000000a";
const GUID_UPPER = "5CA1E001-0000-4000-8000-00000000000B";

/** Strings around every rule of plain YAML: indicators, numbers, booleans, markers, comments, colons. */
const TRICKY = [
  "", " ", "a", "y", "n", "Y", "yes", "No", "on", "OFF", "true", "False", "TRUE", "null", "Null", "NULL", "~",
  "0", "12", "-3", "+4", "1.5", "1e3", "1E-3", ".5", "5.", "0x1F", "0o17", "0b101", "1_000", "1:30", "1:30:59.5", "190:20:30",
  ".inf", "-.Inf", ".nan", ".NaN", "NaN", "Infinity",
  "-", "?", "- x", "? x", "-x", "?x", ":x", "x:", "a:b", "a: b", "a :b", "a#b", "a #b", "#a", "&a", "*a", "!a", "|a", ">a", "%a", "@a", "`a",
  ",a", "[a", "]a", "{a", "}a", "a,b", "a[b]", "a{b}", "---", "---x", "...", "...x", "a---", "a ", " a", "a  b", "a\tb", "\ta",
  "it's", 'say "hi"', "back\\slash", "line\nbreak", "trail\n", "\u2028", "é", "héllo wörld", "日本語", "Ωmega", "naïve café", "x\u0301",
  "https://contoso.com/app", "api://payroll", "user:alice@contoso.com", "group:sg-finance", "role:Global Administrator",
  "#microsoft.graph.group", "@odata.type", GUID, GUID_UPPER, "00000003-0000-0000-c000-000000000000", "12345678-1234-1234-1234-123456789012",
  "=a", "+a", "a=b", "a/b", "a.b", "_a", "a_b", "A-B.C@D/E+F=G:H",
];
const KEYS = ["a", "b", "displayName", "@odata.type", "n", "on", "true", "null", "_x", "x_1", "x.y", "x-y", "1a", "a b", "é", "", "members", "id"];

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function generate(next: () => number, depth: number): JsonValue {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const roll = next();
  if (depth <= 0 || roll < 0.45) {
    const scalar = next();
    if (scalar < 0.7) return pick(TRICKY);
    if (scalar < 0.8) return pick([0, 1, -7, 42, 2 ** 40, -0, 1.5, 1e21, Number.MAX_SAFE_INTEGER + 2]);
    if (scalar < 0.9) return pick([true, false]);
    return null;
  }
  if (roll < 0.7) return Array.from({ length: Math.floor(next() * 4) }, () => generate(next, depth - 1));
  const object: JsonObject = {};
  for (let i = Math.floor(next() * 5); i > 0; i--) object[pick(KEYS)] = generate(next, depth - 1);
  return object;
}

function compare(envelope: JsonObject, annotations: ReadonlyMap<string, string>): boolean {
  const plain = formatPlainBody(envelope, annotations);
  if (plain === undefined) return false;
  expect(plain).toBe(formatWithLibrary(envelope, annotations));
  return true;
}

describe("the direct emitter writes the YAML library's bytes", () => {
  test("every example document in tenant-config/, with and without display-name comments", async () => {
    const tree = await readConfigTree(join(import.meta.dirname, "../../tenant-config"));
    expect(tree.documents.length).toBeGreaterThan(20);
    let plain = 0;
    for (const doc of tree.documents) {
      const envelope: JsonObject = { kind: doc.kind, name: doc.name, ...(doc.environments ? { environments: [...doc.environments] } : {}), spec: doc.spec };
      const guids = JSON.stringify(doc.spec).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? [];
      const annotations = new Map(guids.map((id, i) => [id.toLowerCase(), i % 2 === 0 ? `Object ${i} # x` : `multi\nline ${i}`]));
      if (compare(envelope, new Map())) plain += 1;
      compare(envelope, annotations);
    }
    // The emitter is the common path, not an exception.
    expect(plain).toBeGreaterThan(tree.documents.length / 2);
  });

  test("generated documents of tricky keys and values, nested maps and sequences", () => {
    const next = random(16);
    let plain = 0;
    const total = 4000;
    for (let i = 0; i < total; i++) {
      const spec = generate(next, 4);
      const envelope: JsonObject = { kind: "group", name: `g-${i}`, ...(i % 3 === 0 ? { environments: ["prod", "test"] } : {}), ...(i % 5 === 0 ? { id: GUID } : {}), spec: spec !== null && typeof spec === "object" && !Array.isArray(spec) ? spec : { value: spec } };
      const annotations = new Map([[GUID, "Alice # admin"], [GUID_UPPER.toLowerCase(), "  Bob\r\nSmith  "]]);
      if (compare(envelope, i % 2 === 0 ? annotations : new Map())) plain += 1;
    }
    // Enough documents without an unusual value take the direct path to exercise it.
    expect(plain).toBeGreaterThan(total / 3);
  });

  test("each tricky string alone as a value, a sequence item and a key", () => {
    let plain = 0;
    for (const value of TRICKY) {
      const specs: JsonObject[] = [{ value }, { list: [value, [value], { value }] }, { [value]: value }];
      for (const spec of specs) {
        if (compare({ kind: "user", name: "u", spec }, new Map([[GUID, "Alice"]]))) plain += 1;
      }
    }
    expect(plain).toBeGreaterThan(TRICKY.length);
  });

  test("formatDocument gives the library's document with the modeline either way", () => {
    const doc = { kind: "user" as const, name: "alice", spec: { displayName: "Alice", note: "line\nbreak", manager: GUID } };
    const expected = `# yaml-language-server: $schema=../../.entra-gitops/schemas/user.schema.json\n${formatWithLibrary({ kind: "user", name: "alice", spec: doc.spec }, new Map([[GUID, "Bob"]]))}`;
    expect(formatDocument(doc, { annotations: { [GUID]: "Bob" } })).toBe(expected);
    expect(formatDocument({ ...doc, spec: { displayName: "Alice", manager: GUID } }, { annotations: { [GUID.toUpperCase()]: "Bob" } })).toContain(`manager: ${GUID} # Bob\n`);
  });
});
