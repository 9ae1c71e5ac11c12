import { mkdtemp, readdir, readFile, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import type * as FsPromises from "node:fs/promises";
import { formatDocument } from "../../src/documents/format-document.js";
import type { EntraDocument } from "../../src/model/document.js";

/** The file whose rename fails, as if the process died there; every other rename is real. */
const failing = vi.hoisted(() => ({ target: undefined as string | undefined, renames: 0 }));

vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  return {
    ...real,
    rename: async (from: string, to: string): Promise<void> => {
      if (failing.target !== undefined && basename(to) === failing.target) throw Object.assign(new Error(`EIO: rename ${to}`), { code: "EIO" });
      failing.renames += 1;
      return real.rename(from, to);
    },
  };
});

const { writeDocuments } = await import("../../src/documents/write-document.js");

function group(n: number, description: string): EntraDocument {
  return { kind: "group", name: `group-${n}`, id: `5ca1e001-0000-4000-8000-${n.toString(16).padStart(12, "0")}`, spec: { displayName: `Group ${n}`, description } };
}

function writes(documents: readonly EntraDocument[]): Array<{ document: EntraDocument }> {
  return documents.map((document) => ({ document }));
}

afterEach(() => {
  failing.target = undefined;
  failing.renames = 0;
});

describe("writeDocuments interrupted by a failing rename", () => {
  test("every file is old or new and complete, no temporary file is left, the error is thrown", async () => {
    const root = await mkdtemp(join(tmpdir(), "eg-interrupt-"));
    const old = Array.from({ length: 40 }, (_, n) => group(n, "old"));
    await writeDocuments(root, writes(old));
    // A temporary file from an earlier crashed run is swept too.
    await writeFile(join(root, "group", ".group-3.yaml.entra-gitops-999-abcd0123.tmp"), "kind: gro");
    failing.target = "group-17.yaml";
    failing.renames = 0;
    const updated = [...Array.from({ length: 40 }, (_, n) => group(n, "new")), ...Array.from({ length: 20 }, (_, n) => group(100 + n, "new"))];
    await expect(writeDocuments(root, writes(updated), { concurrency: 8 })).rejects.toThrow(/EIO: rename .*group-17\.yaml/);

    const files = (await readdir(join(root, "group"))).sort();
    expect(files.filter((f) => f.startsWith("."))).toEqual([]);
    expect(await readFile(join(root, "group", "group-17.yaml"), "utf8")).toBe(formatDocument(group(17, "old")));
    let replaced = 0;
    for (const file of files) {
      const n = Number(/^group-(\d+)\.yaml$/.exec(file)?.[1]);
      const text = await readFile(join(root, "group", file), "utf8");
      const isNew = text === formatDocument(group(n, "new"));
      if (isNew) replaced += 1;
      else expect(text).toBe(formatDocument(group(n, "old")));
    }
    expect(replaced).toBe(failing.renames);
    expect(replaced).toBeLessThan(updated.length - 1);

    // The next run completes the work: the rest of the files become new, nothing else changes.
    failing.target = undefined;
    const outcomes = await writeDocuments(root, writes(updated));
    expect(outcomes.filter((o) => o.outcome === "unchanged")).toHaveLength(replaced);
    for (const doc of updated) expect(await readFile(join(root, "group", `${doc.name}.yaml`), "utf8")).toBe(formatDocument(doc));
    expect((await readdir(join(root, "group"))).filter((f) => f.startsWith("."))).toEqual([]);
  });

  test("a failure in one kind folder leaves the other folder's finished files new and flushed", async () => {
    const root = await mkdtemp(join(tmpdir(), "eg-interrupt-"));
    await mkdir(join(root, "user"));
    failing.target = "group-0.yaml";
    const user: EntraDocument = { kind: "user", name: "alice", id: "5ca1e000-0000-4000-8000-000000000001", spec: { userPrincipalName: "alice@contoso.com" } };
    await expect(writeDocuments(root, writes([user, group(0, "new")]), { concurrency: 1 })).rejects.toThrow(/EIO/);
    expect(await readFile(join(root, "user", "alice.yaml"), "utf8")).toBe(formatDocument(user));
    expect(await readdir(join(root, "group"))).toEqual([]);
  });
});

describe("writeFileAtomic", () => {
  test("writes a relative path next to the target and leaves no temporary file", async () => {
    const { writeFileAtomic } = await import("../../src/files/atomic-write.js");
    const root = await mkdtemp(join(tmpdir(), "eg-atomic-"));
    const target = relative(process.cwd(), join(root, "plan.json"));
    await writeFileAtomic(target, "{}\n");
    await writeFileAtomic(target, "{ }\n");
    expect(await readdir(root)).toEqual(["plan.json"]);
    expect(await readFile(join(root, "plan.json"), "utf8")).toBe("{ }\n");
  });
});
