/**
 * A full export into a folder that holds the tenant's documents reads each file once and parses
 * only what it must (README "export"): the result must be what parsing every file gives. Files
 * edited by hand are written back, a document whose object is gone is removed, a file that is no
 * document stays, a document with an `id:` line or outside the id map is parsed and keeps its name.
 */
import { mkdtemp, readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportTenant } from "../../src/engine/export.js";
import { createGateway } from "../../src/graph/create.js";
import { getKind, sortByDependencies } from "../../src/kinds/registry.js";
import { createTenant } from "../../src/sandbox/index.js";
import { groupId, groupMembers, SCALE_DOMAIN, scaleSeed, userId } from "../helpers/scale-tenant.js";
import { startSandbox } from "../helpers/sandbox.js";
import type { StartedSandbox } from "../helpers/sandbox.js";

const SHAPE = { users: 40, groups: 6, bigGroups: 0, bigGroupSize: 0, groupSize: 5 };
const descriptors = sortByDependencies(["group", "user"]).map(getKind);

let started: StartedSandbox;
beforeAll(async () => {
  started = await startSandbox({ tenant: createTenant({ domain: SCALE_DOMAIN, seed: scaleSeed(SHAPE) }) });
});
afterAll(() => started.stop());

function gateway() {
  return createGateway({ env: { ...started.sandbox.env, ENTRA_GITOPS_GRAPH_URL: started.sandbox.graphUrl } });
}

async function tree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const kind of (await readdir(root)).sort()) {
    for (const file of (await readdir(join(root, kind))).sort()) files.set(`${kind}/${file}`, await readFile(join(root, kind, file), "utf8"));
  }
  return files;
}

describe("export into a folder that holds the documents", () => {
  it("writes back what changed, removes what is gone, leaves what is no document, keeps hand-made names", async () => {
    const root = await mkdtemp(join(tmpdir(), "eg-reexport-"));
    const first = await exportTenant(gateway(), descriptors, root);
    expect(first.created).toHaveLength(SHAPE.users + SHAPE.groups);
    const exported = await tree(root);
    const nameOf = (id: string): string => [...first.ids].find(([, v]) => v === id)?.[0] ?? "";
    const [edited, gone, withId, byHand, broken] = [userId(1), userId(6), userId(3), userId(4), groupId(5)].map(nameOf) as [string, string, string, string, string];
    const file = (at: string): string => join(root, `${at}.yaml`);
    const mtimes = new Map<string, number>();
    for (const at of first.ids.keys()) mtimes.set(at, (await stat(file(at))).mtimeMs);

    // A value edited by hand, in export's own shape (the byte check vouches for it).
    await writeFile(file(edited), (await readFile(file(edited), "utf8")).replace(/displayName: .*/, "displayName: Edited by hand"));
    // An object deleted in the tenant (a member of no group: no group document changes).
    expect(Array.from({ length: SHAPE.groups }, (_, g) => groupMembers(SHAPE, g)).flat()).not.toContain(6);
    await gateway().delete(`/users/${userId(6)}`);
    // A document still carrying its id (from before the id map): parsed, its id moved to the map.
    await writeFile(file(withId), (await readFile(file(withId), "utf8")).replace(/^(name: .*)$/m, `$1\nid: ${userId(3)}`));
    // A document renamed by hand and left out of the id map: matched by its natural key, name kept.
    await rename(file(byHand), join(root, "user", "hand-named.yaml"));
    await writeFile(join(root, "user", "hand-named.yaml"), (await readFile(join(root, "user", "hand-named.yaml"), "utf8")).replace(/^name: .*$/m, "name: hand-named"));
    const ids = new Map(first.ids);
    ids.delete(byHand);
    // A file shaped like a document whose spec does not parse (a duplicate key), its group deleted.
    const brokenText = (await readFile(file(broken), "utf8")).replace(/^( {2}displayName: .*)$/m, "$1\n  displayName: twice");
    await writeFile(file(broken), brokenText);
    await gateway().delete(`/groups/${groupId(5)}`);

    const again = await exportTenant(gateway(), descriptors, root, { ids });
    expect(again.updated.sort()).toEqual([file(edited), file(withId)].sort());
    expect(again.created).toEqual([]);
    expect(again.removed).toEqual([file(gone)]);
    expect(again.migratedIds).toBe(1);
    expect(again.ids.get("user/hand-named")).toBe(userId(4));
    expect(again.ids.has(gone)).toBe(false);
    expect(again.ids.get(withId)).toBe(userId(3));

    const after = await tree(root);
    const expected = new Map(exported);
    expected.delete(`${gone}.yaml`);
    expected.delete(`${byHand}.yaml`);
    expected.set("user/hand-named.yaml", (exported.get(`${byHand}.yaml`) as string).replace(/^name: .*$/m, "name: hand-named"));
    expected.set(`${broken}.yaml`, brokenText);
    expect([...after.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, text] of expected) expect(after.get(path), path).toBe(text);
    // Files that did not change were not rewritten.
    for (const [at, mtime] of mtimes) {
      if ([edited, gone, withId, byHand, broken].includes(at)) continue;
      expect((await stat(file(at))).mtimeMs, at).toBe(mtime);
    }
  });
});
