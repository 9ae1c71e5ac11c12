/**
 * The byte check export uses instead of parsing a document it wrote itself (plain-document.ts):
 * whenever it says "plain", the YAML parser must agree (the document of that kind and name, no id,
 * no environments, no `$` in any value); it must say "plain" for what export writes; and it must
 * leave to the parser every shape that could hide an id, an environments list or a template.
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { formatDocument } from "../../src/documents/format-document.js";
import { isPlainDocument } from "../../src/documents/plain-document.js";
import { parseDocumentText } from "../../src/documents/read-document.js";
import { readConfigTree } from "../../src/documents/read-tree.js";
import type { JsonValue } from "../../src/model/document.js";

/** What the parser says of a text the check calls plain: exactly what the check promises. */
function expectParsedAsPlain(text: string, kind: string, name: string): void {
  const { document } = parseDocumentText(text, `/x/${kind}/${name}.yaml`);
  expect(document, text).toBeDefined();
  expect(document?.kind).toBe(kind);
  expect(document?.name).toBe(name);
  expect(document?.id).toBeUndefined();
  expect(document?.environments).toBeUndefined();
  expect(JSON.stringify(document?.spec)).not.toContain("$");
}

function strings(value: JsonValue): string[] {
  if (typeof value === "string") return [value];
  if (value === null || typeof value !== "object") return [];
  return (Array.isArray(value) ? value : Object.entries(value).flat()).flatMap((v) => strings(v));
}

const head = "# yaml-language-server: $schema=../../.entra-gitops/schemas/group.schema.json\n";

describe("isPlainDocument", () => {
  test("every example document, as export writes it: plain unless it has environments or a $, and the parser agrees", async () => {
    const tree = await readConfigTree(join(import.meta.dirname, "../../tenant-config"));
    expect(tree.documents.length).toBeGreaterThan(20);
    let plain = 0;
    for (const doc of tree.documents) {
      const text = formatDocument({ kind: doc.kind, name: doc.name, ...(doc.environments ? { environments: doc.environments } : {}), spec: doc.spec });
      const expected = doc.environments === undefined && !strings(doc.spec).some((s) => s.includes("$") || s.includes("\\") || /[\n\r\u2028\u2029\u0085]/.test(s));
      const said = isPlainDocument(text, doc.kind, doc.name);
      if (said) {
        plain += 1;
        expectParsedAsPlain(text, doc.kind, doc.name);
      }
      // Written on one line per value by the direct emitter: the check knows it.
      if (expected && text.split("\n").slice(1).every((line) => line === "" || !line.startsWith("#"))) expect(said, text).toBe(true);
    }
    expect(plain).toBeGreaterThan(tree.documents.length / 2);
  });

  test("export's own shapes: an empty spec, a quoted name, @odata.type first, a GUID with its display name", () => {
    const cases = [
      formatDocument({ kind: "group", name: "empty", spec: {} }),
      formatDocument({ kind: "group", name: "123", spec: { displayName: "123" } }),
      formatDocument({ kind: "namedLocation", name: "office", spec: { "@odata.type": "#microsoft.graph.ipNamedLocation", displayName: "Office", ipRanges: [{ cidrAddress: "10.0.0.0/8" }] } }),
      formatDocument({ kind: "group", name: "g", spec: { owners: ["5ca1e001-0000-4000-8000-00000000000a"] } }, { annotations: { "5ca1e001-0000-4000-8000-00000000000a": "Alice #1" } }),
    ];
    const names = ["empty", "123", "office", "g"];
    const kinds = ["group", "group", "namedLocation", "group"];
    cases.forEach((text, i) => {
      expect(isPlainDocument(text, kinds[i] as string, names[i] as string), text).toBe(true);
      expectParsedAsPlain(text, kinds[i] as string, names[i] as string);
    });
  });

  test("left to the parser: anything that could carry an id, environments, a template or another name", () => {
    const body = "kind: group\nname: g\nspec:\n  displayName: G\n";
    const refused: Array<[string, string]> = [
      ["id line", `${head}kind: group\nname: g\nid: 5ca1e001-0000-4000-8000-00000000000a\nspec:\n  displayName: G\n`],
      ["environments", `${head}kind: group\nname: g\nenvironments: [test]\nspec:\n  displayName: G\n`],
      ["a key after spec", `${head}${body}id: x\n`],
      ["a comment at column 0 after spec", `${head}${body}# note\n`],
      ["a blank line", `${head}kind: group\nname: g\nspec:\n\n  displayName: G\n`],
      ["a template", `${head}kind: group\nname: g\nspec:\n  displayName: \${team} G\n`],
      ["an escaped $", `${head}kind: group\nname: g\nspec:\n  displayName: "\\x24{team}"\n`],
      ["a backslash", `${head}kind: group\nname: g\nspec:\n  displayName: "a\\tb"\n`],
      ["CR line ends", head.replace("\n", "\r\n") + body.replace(/\n/g, "\r\n")],
      ["a CR inside the modeline", `# modeline\rid: x\n${body}`],
      ["no modeline", body],
      ["another name", `${head}kind: group\nname: h\nspec:\n  displayName: G\n`],
      ["another kind", `${head}kind: user\nname: g\nspec:\n  displayName: G\n`],
      ["a quoted name export does not write", `${head}kind: group\nname: "g"\nspec:\n  displayName: G\n`],
      ["keys in another order", `${head}name: g\nkind: group\nspec:\n  displayName: G\n`],
      ["a document marker", `${head}---\n${body}`],
      ["a second document", `${head}${body}---\nkind: group\n`],
      ["a flow spec", `${head}kind: group\nname: g\nspec: {displayName: G, id: x}\n`],
      ["a sequence spec", `${head}kind: group\nname: g\nspec:\n  - a\n`],
      ["a tab", `${head}kind: group\nname: g\nspec:\n\tdisplayName: G\n`],
      ["a multi-line string reaching column 0", `${head}kind: group\nname: g\nspec:\n  description: "a\nid: b"\n`],
    ];
    for (const [label, text] of refused) expect(isPlainDocument(text, "group", "g"), label).toBe(false);
    // And the one shape it accepts, for contrast.
    expect(isPlainDocument(`${head}${body}`, "group", "g")).toBe(true);
    expectParsedAsPlain(`${head}${body}`, "group", "g");
  });
});
