import { mkdtemp, mkdir, writeFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseDocumentText, readDocumentFile } from "../../src/documents/read-document.js";
import { readConfigTree } from "../../src/documents/read-tree.js";

const file = "tenant-config/group/admins.yaml";
const ok = "kind: group\nname: admins\nspec:\n  displayName: Admins\n";

function errors(text: string, f = file): string[] {
  return parseDocumentText(text, f).diagnostics.filter((d) => d.severity === "error").map((d) => `${d.line}:${d.column} ${d.message}`);
}

describe("parseDocumentText", () => {
  test("reads a valid document and knows where each field stands", () => {
    const { document, diagnostics } = parseDocumentText(`${ok}  members:\n    - group:x\n`, file);
    expect(diagnostics).toEqual([]);
    expect(document?.kind).toBe("group");
    expect(document?.spec).toEqual({ displayName: "Admins", members: ["group:x"] });
    expect(document?.positionOf(["spec", "displayName"])).toEqual({ line: 4, column: 16 });
    expect(document?.positionOf(["spec", "members", 0])).toEqual({ line: 6, column: 7 });
  });

  test("refuses an alias bomb", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(",")}]`);
    }
    const text = `kind: group\nname: admins\nspec:\n  bomb:\n${lines.map((l) => `    ${l}`).join("\n")}\n`;
    expect(errors(text).join("\n")).toMatch(/alias/);
  });

  test.each(["__proto__", "constructor", "prototype"])("refuses the key %s", (key) => {
    expect(errors(`${ok}  ${key}:\n    polluted: true\n`)).toEqual([`5:3 forbidden key "${key}"`]);
  });

  test("refuses duplicate keys with their position", () => {
    expect(errors(`${ok}  displayName: Again\n`)[0]).toMatch(/^5:3 Map keys must be unique/);
  });

  test("refuses several documents in one file", () => {
    expect(errors(`${ok}---\n${ok}`)[0]).toMatch(/more than one YAML document/);
  });

  test("refuses a root that is not a mapping", () => {
    expect(errors("- kind: group\n")).toEqual(["1:1 the document must be a mapping with kind, name and spec"]);
  });

  test("checks the envelope: kind, name, spec, unknown keys", () => {
    expect(errors("kind: widget\nname: ../etc\nspec: []\nextra: 1\n", "tenant-config/widget/x.yaml")).toEqual([
      '4:1 unknown top-level key "extra": a document has kind, name, environments (optional), id and spec',
      '1:7 unknown kind "widget"',
      '2:7 invalid name "../etc": must not contain a path separator',
      "3:7 spec must be a mapping",
    ]);
  });

  test("the file name and folder must match the name and kind", () => {
    expect(errors(ok, "tenant-config/namedLocation/other.yaml")).toEqual([
      "2:7 a group document belongs in the folder group/, not namedLocation/",
      "2:7 file name must be admins.yaml (the document's name)",
    ]);
  });
});

describe("readDocumentFile", () => {
  test("refuses a 10 MB file without parsing it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "eg-doc-"));
    const path = join(dir, "big.yaml");
    await writeFile(path, `${ok}  description: "${"x".repeat(10 * 1024 * 1024)}"\n`);
    const { document, diagnostics } = await readDocumentFile(path);
    expect(document).toBeUndefined();
    expect(diagnostics[0]?.message).toMatch(/over the 1048576-byte limit/);
  });

  test("refuses invalid UTF-8 with the byte offset", async () => {
    const dir = await mkdtemp(join(tmpdir(), "eg-doc-"));
    const path = join(dir, "bad.yaml");
    await writeFile(path, Buffer.concat([Buffer.from("kind: group\nname: "), Buffer.from([0xc3, 0x28]), Buffer.from("\n")]));
    const { diagnostics } = await readDocumentFile(path);
    expect(diagnostics.map((d) => d.message)).toEqual(["refused: invalid UTF-8 at byte 18"]);
  });
});

describe("readConfigTree", () => {
  test("reads every kind folder and reports duplicates and strays", async () => {
    const root = await mkdtemp(join(tmpdir(), "eg-tree-"));
    await mkdir(join(root, "group"));
    await mkdir(join(root, "widgets"));
    await writeFile(join(root, "group", "admins.yaml"), ok);
    await writeFile(join(root, "group", "copy.yml"), ok);
    await writeFile(join(root, "group", "other.yaml"), ok);
    await writeFile(join(root, "stray.yaml"), ok);
    const { documents, diagnostics } = await readConfigTree(root);
    expect(documents.map((d) => d.name)).toEqual(["admins", "admins"]);
    const messages = diagnostics.map((d) => `${d.file?.slice(root.length + 1)}: ${d.message}`);
    expect(messages).toContain("group/copy.yml: document files end in .yaml, not .yml");
    expect(messages).toContain("group/other.yaml: file name must be admins.yaml (the document's name)");
    expect(messages).toContain('widgets: unknown kind folder "widgets"');
    expect(messages).toContain("stray.yaml: documents belong in a kind folder: <kind>/<name>.yaml");
    expect(messages.some((m) => m.startsWith("group/other.yaml: duplicate name: group/admins"))).toBe(true);
    expect(await readdir(root)).toEqual(["group", "stray.yaml", "widgets"]);
  });
});

describe("YAML tags", () => {
  test("refuses tags outside the core schema", () => {
    const { diagnostics, document } = parseDocumentText(`${ok}  description: !!binary aGVsbG8=\n  other: !custom x\n`, file);
    expect(document).toBeUndefined();
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      "5:25 unsupported YAML tag !!binary",
      "6:18 unsupported YAML tag !custom",
    ]);
  });

  test("accepts explicit core tags", () => {
    const { document } = parseDocumentText(`${ok}  mailNickname: !!str 0123\n`, file);
    expect(document?.spec.mailNickname).toBe("0123");
  });
});

describe("nesting", () => {
  test("refuses absurd nesting instead of overflowing the stack", () => {
    const deep = `${ok}  x: ${"[".repeat(20000)}${"]".repeat(20000)}\n`;
    expect(errors(deep)[0]).toMatch(/refused: nesting deeper than 64 levels/);
    const moderate = `${ok}  x: ${"[".repeat(70)}${"]".repeat(70)}\n`;
    expect(errors(moderate)).toEqual(["5:69 refused: nesting deeper than 64 levels"]);
  });
});
