import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { documentsChangedSinceRead, readCommit } from "../../src/engine/sync/changed-in-git.js";
import { openRepository } from "../../src/git/repository.js";
import { formatSyncState } from "../../src/state/sync-state.js";
import type { SyncState } from "../../src/state/sync-state.js";
import { tempRepo, type TempRepo } from "../git/git-fixture.js";

const STATE = ".entra-gitops/state/default/sync.yaml";
const P = (kind: string, name: string): string => `tenant-config/${kind}/${name}.yaml`;
const doc = (kind: string, name: string, displayName: string): string => `kind: ${kind}\nname: ${name}\nspec:\n  displayName: ${displayName}\n`;

function state(at: string, pending: string[] = []): string {
  const s: SyncState = {
    pending: new Map(pending.map((a) => [a, { hash: "deleted", firstSeen: at, since: at }])),
    read: { at, fullAt: "2026-12-01T00:00:00.000Z", deltaLinks: new Map([["group", "https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=a"]]) },
  };
  return formatSyncState(s, undefined);
}

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo();
});
afterEach(() => repo.cleanup());

describe("documents git changed since the recorded read", () => {
  it("finds the commit that brought the read, past later state commits that kept it, and lists the documents changed since", async () => {
    repo.commit("export", { [P("group", "finance")]: doc("group", "finance", "Finance"), [P("group", "hr")]: doc("group", "hr", "HR"), [P("namedLocation", "hq")]: doc("namedLocation", "hq", "HQ") });
    repo.commit("first read", { [STATE]: state("2026-12-06T10:00:00.000Z") });
    const read = repo.commit("drift with the read", { [P("group", "hr")]: doc("group", "hr", "HR team"), [STATE]: state("2026-12-06T11:00:00.000Z") });
    repo.commit("a merge", { [P("group", "finance")]: doc("group", "finance", "Finance, merged") });
    // A change held back: the state changes, the read stays where it was.
    repo.commit("held back", { [STATE]: state("2026-12-06T11:00:00.000Z", ["group/sales"]) });
    repo.commit("renamed and removed", { [P("namedLocation", "hq")]: null, [P("namedLocation", "head-office")]: doc("namedLocation", "hq", "HQ"), "tenant-config/README.md": "notes\n" });

    const r = await openRepository(repo.dir);
    expect(await readCommit(r, "HEAD", STATE, "2026-12-06T11:00:00.000Z")).toBe(read);
    expect(await documentsChangedSinceRead(r, "HEAD", "tenant-config", STATE, "2026-12-06T11:00:00.000Z")).toEqual(["group/finance", "namedLocation/head-office", "namedLocation/hq"]);
    // A read the history does not hold (a state edited by hand): unknown, so the caller reads everything.
    expect(await documentsChangedSinceRead(r, "HEAD", "tenant-config", STATE, "2026-12-06T09:00:00.000Z")).toBeUndefined();
  });

  it("a read recorded in the repository's first commit is found there", async () => {
    const first = repo.commit("first", { [P("group", "hr")]: doc("group", "hr", "HR"), [STATE]: state("2026-12-06T10:00:00.000Z") });
    repo.commit("a merge", { [P("group", "hr")]: doc("group", "hr", "HR, merged") });
    const r = await openRepository(repo.dir);
    expect(await readCommit(r, "HEAD", STATE, "2026-12-06T10:00:00.000Z")).toBe(first);
    expect(await documentsChangedSinceRead(r, "HEAD", "tenant-config", STATE, "2026-12-06T10:00:00.000Z")).toEqual(["group/hr"]);
  });
});
