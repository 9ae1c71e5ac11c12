import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EntraDocument } from "../../src/model/document.js";
import { formatIdMap, parseIdMap, readIdMap, StateFileError, withEnvironmentIds, writeIdMap } from "../../src/state/id-map.js";
import { statePath, stateRelativePath } from "../../src/state/paths.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const doc = (name: string, id?: string): EntraDocument => ({ kind: "group", name, ...(id ? { id } : {}), spec: { displayName: name } });

describe("the per-environment id map", () => {
  it("lives under .entra-gitops/state/<env>/, `default` without environments", () => {
    expect(stateRelativePath("prod", "ids.yaml")).toBe(".entra-gitops/state/prod/ids.yaml");
    expect(stateRelativePath(undefined, "ids.yaml")).toBe(".entra-gitops/state/default/ids.yaml");
    expect(statePath("/repo", "test", "ids.yaml")).toBe(join("/repo", ".entra-gitops", "state", "test", "ids.yaml"));
  });

  it("formats sorted by address with a header, and parses back to the same map", () => {
    const ids = new Map([
      ["group/b", "22222222-2222-4222-8222-222222222222"],
      ["conditionalAccessPolicy/a", "11111111-1111-4111-8111-111111111111"],
    ]);
    const text = formatIdMap(ids, "prod");
    expect(text).toBe(
      [
        '# Object ids of environment "prod" in its tenant, by document address KIND/NAME.',
        "# Written by entra-gitops export and sync; tenant state, never copied to another environment.",
        "conditionalAccessPolicy/a: 11111111-1111-4111-8111-111111111111",
        "group/b: 22222222-2222-4222-8222-222222222222",
        "",
      ].join("\n"),
    );
    expect(parseIdMap(text, "ids.yaml")).toEqual({ ids: new Map([...ids].sort()), diagnostics: [], canonical: true });
    expect(parseIdMap(formatIdMap(new Map(), undefined), "ids.yaml").ids.size).toBe(0);
  });

  it("reports a bad address or id with file and line, and refuses duplicate keys", async () => {
    const { diagnostics } = parseIdMap("group/a: x1\nnot-an-address: x2\ngroup/c: [1]\n", "state/ids.yaml");
    expect(diagnostics.map((d) => [d.file, d.line, d.path, d.message])).toEqual([
      ["state/ids.yaml", 2, "not-an-address", '"not-an-address" is not a document address KIND/NAME'],
      ["state/ids.yaml", 3, "group/c", "an object id must be a non-empty string without spaces"],
    ]);
    expect(parseIdMap("group/a: x1\ngroup/a: x2\n", "ids.yaml").diagnostics[0]?.severity).toBe("error");
    const dir = await mkdtemp(join(tmpdir(), "eg-ids-"));
    dirs.push(dir);
    await writeFile(join(dir, "ids.yaml"), "group/a: [x]\n");
    await expect(readIdMap(join(dir, "ids.yaml"))).rejects.toBeInstanceOf(StateFileError);
    expect((await readIdMap(join(dir, "missing.yaml"))).size).toBe(0);
  });

  it("writes atomically and only when the text changes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "eg-ids-"));
    dirs.push(dir);
    const file = join(dir, ".entra-gitops", "state", "test", "ids.yaml");
    expect(await writeIdMap(file, new Map([["group/a", "id-a"]]), "test")).toBe(true);
    expect(await writeIdMap(file, new Map([["group/a", "id-a"]]), "test")).toBe(false);
    expect(await readFile(file, "utf8")).toContain("group/a: id-a\n");
  });

  it("gives documents the environment's id: the map first, an id still in the document second, else none", () => {
    const docs = [doc("in-map", "old-doc-id"), doc("doc-only", "doc-id"), doc("nowhere")];
    const result = withEnvironmentIds(docs, new Map([["group/in-map", "map-id"]]));
    expect(result.map((d) => d.id)).toEqual(["map-id", "doc-id", undefined]);
    expect(docs[0]?.id).toBe("old-doc-id");
  });
});

describe("the id map's text", () => {
  it("reads a large map line by line exactly as the YAML reader reads it, and falls back to the reader for any other line", () => {
    const ids = new Map<string, string>();
    for (let i = 0; i < 3000; i++) ids.set(`user/user${String(i).padStart(6, "0")}-contoso-com`, `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const text = formatIdMap(ids, "prod");
    const fast = parseIdMap(text, "ids.yaml");
    // A quoted entry is outside the line form: the whole file goes through the YAML reader.
    const slow = parseIdMap(`${text}"group/quoted": "id-q"\n`, "ids.yaml");
    expect(slow.ids.get("group/quoted")).toBe("id-q");
    slow.ids.delete("group/quoted");
    expect(fast).toEqual({ ids: slow.ids, diagnostics: [], canonical: true });
    expect(slow.canonical).toBe(false);
    expect(fast.ids.size).toBe(3000);
    // A duplicate address or a value a reader takes for a number is left to the YAML reader's rules.
    expect(parseIdMap("group/a: x1\ngroup/a: x2\n", "ids.yaml").diagnostics[0]?.message).toMatch(/unique/);
    expect(parseIdMap("group/a: 12345\n", "ids.yaml").diagnostics[0]?.message).toBe("an object id must be a non-empty string without spaces");
  });


  it("quotes what a YAML reader would take for something else, and reads it back as strings", () => {
    const ids = new Map([
      ["group/a", "12345"],
      ["group/b", "true"],
      ["group/c", "-a:b#c"],
      ["group/d", "1e5"],
      ["group/e", "ABC-def_1.2"],
    ]);
    const text = formatIdMap(ids, "t");
    expect(text).toContain('group/a: "12345"\n');
    expect(text).toContain("group/e: ABC-def_1.2\n");
    // Quoted lines are read by the YAML reader: not known to be exactly what formatIdMap writes.
    expect(parseIdMap(text, "ids.yaml")).toEqual({ ids, diagnostics: [], canonical: false });
  });
});
