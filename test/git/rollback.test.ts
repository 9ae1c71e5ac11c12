import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openRepository } from "../../src/git/repository.js";
import { findDocumentVersion } from "../../src/git/restore-source.js";
import { planRollback, rollbackCommitInput } from "../../src/git/rollback.js";
import { address, type Address } from "../../src/model/kind.js";
import { commitRollback } from "../../src/git/rollback-commit.js";
import { parseSelector } from "../../src/git/selectors.js";
import { ALICE, BOT, tempRepo, type TempRepo } from "./git-fixture.js";

const F = "tenant-config";
const CA = (n: string): string => `${F}/conditionalAccessPolicy/${n}.yaml`;
const NL = (n: string): string => `${F}/namedLocation/${n}.yaml`;

const atRevision = new Map([
  [CA("mfa"), "mfa v1\n"],
  [CA("block-legacy"), "legacy v1\n"],
  [CA("old-policy"), "old v1\n"],
  [NL("hq"), "hq v1\n"],
  [`${F}/README.md`, "readme\n"],
]);
const current = new Map([
  [CA("mfa"), "mfa v2\n"],
  [CA("block-legacy"), "legacy v1\n"],
  [CA("new-policy"), "new v1\n"],
  [NL("hq"), "hq v2\n"],
  [NL("branch"), "branch v1\n"],
  [`${F}/README.md`, "readme changed\n"],
]);
const plan = (...selectors: string[]) =>
  planRollback({ folder: F, revision: "a".repeat(40), shortRevision: "aaaaaaa", selectors: selectors.map(parseSelector), atRevision, current });

describe("planRollback", () => {
  it("KIND/NAME restores one object", () => {
    const p = plan("conditionalAccessPolicy/mfa");
    expect(p.restore).toEqual([{ path: CA("mfa"), address: "conditionalAccessPolicy/mfa", action: "update", content: "mfa v1\n" }]);
    expect(p.remove).toEqual([]);
    expect(rollbackCommitInput(p, { author: ALICE, committer: BOT })?.message.split("\n")[0]).toBe(
      "Roll back conditionalAccessPolicy/mfa to aaaaaaa",
    );
  });

  it("KIND/* and KIND restore, re-create and delete within the kind only", () => {
    for (const selector of ["conditionalAccessPolicy/*", "conditionalAccessPolicy"]) {
      const p = plan(selector);
      expect(p.restore.map((r) => [r.address, r.action])).toEqual([
        ["conditionalAccessPolicy/mfa", "update"],
        ["conditionalAccessPolicy/old-policy", "create"],
      ]);
      expect(p.remove.map((r) => r.address)).toEqual(["conditionalAccessPolicy/new-policy"]);
      expect(p.unchanged).toBe(1);
    }
  });

  it("no selector covers every document but not other files, and the commit input lists each", () => {
    const p = plan();
    expect(p.restore.map((r) => r.path)).toEqual([CA("mfa"), CA("old-policy"), NL("hq")]);
    expect(p.remove.map((r) => r.path)).toEqual([CA("new-policy"), NL("branch")]);
    const input = rollbackCommitInput(p, { author: ALICE, committer: BOT });
    expect(input?.files).toContainEqual({ path: NL("branch"), content: null });
    expect(input?.files).toContainEqual({ path: CA("old-policy"), content: "old v1\n" });
    expect(input?.message).toMatch(/^Roll back all documents to aaaaaaa\n\nRestores the configuration of a{40}\./);
    expect(input?.message).toContain("delete namedLocation/branch (did not exist at aaaaaaa)");
  });

  it("reports selectors that match nothing and rejects unknown kinds", () => {
    expect(plan("group/nobody").unmatched).toEqual([{ type: "object", kind: "group", name: "nobody" }]);
    expect(rollbackCommitInput(plan("group/nobody"), { author: ALICE, committer: BOT })).toBeUndefined();
    expect(() => parseSelector("policy/x")).toThrow(/unknown kind "policy"/);
  });

  it("brings back the images beside a selected document, byte for byte, and leaves other documents' alone", () => {
    const BR = (file: string): string => `${F}/organizationalBranding/${file}`;
    const navy = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1]);
    const red = Buffer.from([0x89, 0x50, 0x4e, 0x47, 2]);
    const then = new Map([[BR("default.bannerLogo.png"), navy], [BR("fr-fr.squareLogo.png"), navy]]);
    const now = new Map([[BR("default.bannerLogo.png"), red], [BR("default.headerLogo.png"), red], [BR("fr-fr.squareLogo.png"), red]]);
    const documentOf = (path: string): Address | undefined => (path.startsWith(`${F}/organizationalBranding/`) ? address("organizationalBranding", path.split("/")[2]?.split(".")[0] ?? "") : undefined);
    const branding = new Map([[BR("default.yaml"), "same\n"]]);
    const p = planRollback({ folder: F, revision: "a".repeat(40), shortRevision: "aaaaaaa", selectors: [parseSelector("organizationalBranding/default")], atRevision: branding, current: branding, attached: { atRevision: then, current: now, documentOf } });
    expect(p.restore).toEqual([]);
    expect(p.attached).toEqual([
      { path: BR("default.bannerLogo.png"), address: "organizationalBranding/default", content: navy },
      { path: BR("default.headerLogo.png"), address: "organizationalBranding/default", content: null },
    ]);
    const input = rollbackCommitInput(p, { author: ALICE, committer: BOT });
    expect(input?.files).toEqual([{ path: BR("default.bannerLogo.png"), content: navy }, { path: BR("default.headerLogo.png"), content: null }]);
    expect(input?.message).toContain(`restore ${BR("default.bannerLogo.png")} (organizationalBranding/default)`);
  });
});

describe("commitRollback and findDocumentVersion on a real repository", () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = tempRepo();
  });
  afterEach(() => repo.cleanup());

  it("rolls a kind back in one commit and finds a deleted document's last version", async () => {
    const base = repo.commit("export", { [CA("mfa")]: "mfa v1\n", [NL("hq")]: "hq v1\n" });
    repo.commit("drift", { [CA("mfa")]: "mfa v2\n", [CA("extra")]: "extra\n", [NL("hq")]: null });
    const r = await openRepository(repo.dir);
    const { plan: p, result } = await commitRollback(r, {
      folder: F,
      to: "HEAD~1",
      selectors: [parseSelector("conditionalAccessPolicy")],
      author: ALICE,
      committer: BOT,
    });
    expect(p.restore.map((x) => x.address)).toEqual(["conditionalAccessPolicy/mfa"]);
    expect(result?.committed).toBe(true);
    expect(repo.git("log", "-1", "--format=%s|%an|%cn")).toBe(`Roll back conditionalAccessPolicy/* to ${base.slice(0, 7)}|Alice Admin|entra-gitops[bot]`);
    expect(readFileSync(join(repo.dir, CA("mfa")), "utf8")).toBe("mfa v1\n");
    expect(existsSync(join(repo.dir, CA("extra")))).toBe(false);
    expect(existsSync(join(repo.dir, NL("hq")))).toBe(false);
    expect(repo.git("status", "--porcelain")).toBe("");

    expect(await findDocumentVersion(r, NL("hq"))).toEqual({ revision: base, path: NL("hq"), content: "hq v1\n" });
    expect((await findDocumentVersion(r, CA("extra")))?.content).toBe("extra\n");
    expect((await findDocumentVersion(r, CA("mfa"), "HEAD~1"))?.content).toBe("mfa v2\n");
    expect(await findDocumentVersion(r, NL("never"))).toBeUndefined();

    repo.write(CA("mfa"), "local edit\n");
    const again = { folder: F, to: base, selectors: [], author: ALICE, committer: BOT };
    await expect(commitRollback(r, again)).rejects.toThrow(/Uncommitted changes in the configuration folder \(1 file\):\n {3}M tenant-config/);
    const dry = await commitRollback(r, { ...again, dryRun: true });
    expect(dry.result).toBeUndefined();
    expect(dry.plan.restore.map((x) => x.address)).toEqual(["namedLocation/hq"]);
  });
});
