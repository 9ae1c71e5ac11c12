/**
 * Export writes a kind without references (users) while later kinds are still read: the documents,
 * names and outcomes must be exactly what a snapshot taken first and written afterwards gives.
 */
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { formatDocument } from "../../src/documents/format-document.js";
import { annotationsById, exportTenant } from "../../src/engine/export.js";
import { takeSnapshot } from "../../src/engine/snapshot/snapshot.js";
import type { LiveDocument } from "../../src/engine/snapshot/snapshot.js";
import { createGateway } from "../../src/graph/create.js";
import type { Kind } from "../../src/model/kind.js";
import { getKind, sortByDependencies } from "../../src/kinds/registry.js";
import { createTenant } from "../../src/sandbox/index.js";
import { groupId, SCALE_DOMAIN, scaleSeed, userId } from "../helpers/scale-tenant.js";
import { startSandbox } from "../helpers/sandbox.js";
import type { StartedSandbox } from "../helpers/sandbox.js";

const SHAPE = { users: 120, groups: 12, bigGroups: 1, bigGroupSize: 40, groupSize: 9 };
const descriptors = sortByDependencies(["group", "user"]).map(getKind);

let started: StartedSandbox;
beforeAll(async () => {
  started = await startSandbox({ tenant: createTenant({ domain: SCALE_DOMAIN, seed: scaleSeed(SHAPE) }) });
});
afterAll(() => started.stop());
afterEach(() => started.sandbox.faults.clear());

function gateway() {
  return createGateway({ env: { ...started.sandbox.env, ENTRA_GITOPS_GRAPH_URL: started.sandbox.graphUrl } });
}

describe("export writes users while groups are still read", () => {
  it("hands over only kinds without references, with the same documents as the whole snapshot", async () => {
    const whole = await takeSnapshot(gateway(), descriptors);
    const early: Array<{ kind: Kind; documents: LiveDocument[]; groupsRead: boolean }> = [];
    let groupsRead = false;
    const streamed = await takeSnapshot(gateway(), descriptors, {
      onKind: (kind) => (groupsRead ||= kind === "group"),
      onEarlyDocuments: (kind, documents) => early.push({ kind, documents, groupsRead }),
    });
    expect(early.map((e) => [e.kind, e.documents.length, e.groupsRead])).toEqual([["user", SHAPE.users, false]]);
    expect(streamed.documents).toEqual(whole.documents);
    expect(streamed.documents.filter((d) => d.kind === "user")).toEqual(early[0]?.documents);
  });

  it("keeps existing names, writes every file as the snapshot formats it, and re-exports without touching a file", async () => {
    const root = await mkdtemp(join(tmpdir(), "eg-export-stream-"));
    await mkdir(join(root, "user"));
    await writeFile(join(root, "user", "first-user.yaml"), `kind: user\nname: first-user\nid: ${userId(0)}\nspec:\n  displayName: stale\n`);
    const first = await exportTenant(gateway(), descriptors, root);
    expect(first.created).toHaveLength(SHAPE.users - 1 + SHAPE.groups);
    expect(first.updated).toEqual([join(root, "user", "first-user.yaml")]);
    expect(first.removed).toEqual([]);
    expect(first.created).toEqual(first.snapshot.documents.map((d) => join(root, d.kind, `${d.name}.yaml`)).filter((p) => !first.updated.includes(p)));
    for (const doc of first.snapshot.documents) {
      const text = await readFile(join(root, doc.kind, `${doc.name}.yaml`), "utf8");
      // The id is the environment's state (the id map), not part of the document.
      expect(text).toBe(formatDocument({ kind: doc.kind, name: doc.name, spec: doc.spec }, { annotations: annotationsById(doc) }));
      expect(first.ids.get(`${doc.kind}/${doc.name}`)).toBe(doc.id);
    }
    expect(first.ids.size).toBe(SHAPE.users + SHAPE.groups);
    expect(first.migratedIds).toBe(1);
    expect((await readdir(join(root, "user"))).filter((f) => f.startsWith("."))).toEqual([]);
    const mtime = (await stat(join(root, "user", "first-user.yaml"))).mtimeMs;

    const again = await exportTenant(gateway(), descriptors, root, { ids: first.ids });
    expect([again.created, again.updated, again.removed, again.unchanged]).toEqual([[], [], [], SHAPE.users + SHAPE.groups]);
    expect(again.ids).toEqual(first.ids);
    expect((await stat(join(root, "user", "first-user.yaml"))).mtimeMs).toBe(mtime);
  });
});

describe("export writes each group's document as soon as its members are read", () => {
  it("hands over groups one by one during their read, the same documents as the whole snapshot", async () => {
    const whole = await takeSnapshot(gateway(), descriptors);
    const handed: Array<{ name: string; groupsRead: boolean }> = [];
    const documents: LiveDocument[] = [];
    let groupsRead = false;
    const streamed = await takeSnapshot(gateway(), descriptors, {
      onKind: (kind) => (groupsRead ||= kind === "group"),
      onStreamedDocument: (doc) => {
        handed.push({ name: doc.name, groupsRead });
        documents.push(doc);
      },
    });
    expect(streamed.documents).toEqual(whole.documents);
    // Every group (all members are users or groups read by then) before the kind's read ended.
    expect(handed).toHaveLength(SHAPE.groups);
    expect(handed.every((h) => !h.groupsRead)).toBe(true);
    const wholeGroups = whole.documents.filter((d) => d.kind === "group");
    expect([...documents].sort((a, b) => a.name.localeCompare(b.name))).toEqual([...wholeGroups].sort((a, b) => a.name.localeCompare(b.name)));
  });

  it("keeps back a group whose members only a later look-up can name", async () => {
    // Groups alone: members are users outside the kinds read, named after the read by getByIds.
    const groupsOnly = [getKind("group")];
    const whole = await takeSnapshot(gateway(), groupsOnly);
    const handed: LiveDocument[] = [];
    const streamed = await takeSnapshot(gateway(), groupsOnly, { onStreamedDocument: (doc) => handed.push(doc) });
    expect(streamed.documents).toEqual(whole.documents);
    const withUsers = whole.documents.filter((d) => JSON.stringify(d.spec).includes("user:"));
    expect(withUsers.length).toBeGreaterThan(0);
    for (const doc of handed) expect(JSON.stringify(doc.spec)).not.toContain("user:");
    expect(handed.length).toBeLessThan(whole.documents.length);
  });

  it("a group read that fails after documents were staged keeps every group file and leaves no temporary file", async () => {
    const root = await mkdtemp(join(tmpdir(), "eg-export-stream-fail-"));
    const first = await exportTenant(gateway(), descriptors, root);
    const groupFiles = (await readdir(join(root, "group"))).sort();
    expect(groupFiles).toHaveLength(SHAPE.groups);
    // Every group file made stale: a successful export would rewrite each of them.
    for (const file of groupFiles) await writeFile(join(root, "group", file), `${await readFile(join(root, "group", file), "utf8")}# stale\n`);
    const last = groupId(SHAPE.groups - 1);
    const fail = (): void => started.sandbox.faults.inject({ method: "GET", pathPattern: `/groups/${last}/members`, status: 503, retryAfter: 0, count: 200 });

    fail();
    const handed: LiveDocument[] = [];
    const snapshot = await takeSnapshot(gateway(), descriptors, { onStreamedDocument: (doc) => handed.push(doc) });
    expect(snapshot.failed.has("group")).toBe(true);
    expect(handed.length).toBeGreaterThan(0);

    started.sandbox.faults.clear();
    fail();
    const failed = await exportTenant(gateway(), descriptors, root, { ids: first.ids });
    expect([...failed.failed.keys()]).toEqual(["group"]);
    for (const file of groupFiles) expect(await readFile(join(root, "group", file), "utf8")).toMatch(/# stale\n$/);
    expect((await readdir(join(root, "group"))).sort()).toEqual(groupFiles);
    expect(failed.created.concat(failed.updated).filter((p) => p.includes("/group/"))).toEqual([]);

    started.sandbox.faults.clear();
    const again = await exportTenant(gateway(), descriptors, root, { ids: first.ids });
    expect(again.updated).toHaveLength(SHAPE.groups);
    expect((await readdir(join(root, "group"))).filter((f) => f.startsWith("."))).toEqual([]);
  });
});
