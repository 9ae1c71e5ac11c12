/**
 * Company branding images in sync, drift, plan --rev, rollback and restore (README "Company
 * branding images"), through the CLI against the sandbox, in a real git repository: alice's new
 * banner logo in the portal → sync commits the file beside the document, authored by her, bytes as
 * the tenant's → drift names an image changed after it (digest and size, never bytes), exit 2 →
 * `plan --rev` of the earlier commit plans the old logo → rollback commits the old file, its plan
 * shows the image, apply PUTs the old bytes, replan empty → an image removed in the portal → sync
 * removes the file → a locale deleted in the portal → restore re-creates it and PUTs its image from git
 * → an image merged in git and not applied yet is no drift → the revert policy PUTs HEAD's image
 * back, the pr policy commits the portal's image on a drift branch.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@microsoft/microsoft-graph-client";
import { describe, expect, it } from "vitest";
import { createGateway } from "../../src/graph/create.js";
import { asUser } from "../helpers/actors.js";
import { git } from "../helpers/cli.js";
import { png } from "../helpers/images.js";
import { catchUpAuditLog } from "../helpers/sandbox.js";
import { applyConverges, commit, demoRepoBlock, writeDoc, writes } from "./apply-fixture.js";

const BRANDING = "/organization/{tenantId}/branding";
const FOLDER = "tenant-config/organizationalBranding";

/** A PUT of an image as a person does it in the admin center (their own token). */
async function putImage(client: Client, tenantId: string, path: string, bytes: Buffer): Promise<void> {
  await client.api(`/organization/${tenantId}/branding/localizations/${path}`).header("Content-Type", "image/png").put(bytes);
}

// Several syncs, drifts and plans against the HTTPS sandbox per test: allow for a loaded machine.
describe("organizationalBranding images in sync, drift, plan --rev, rollback and restore", { timeout: 180_000 }, () => {
  const demo = demoRepoBlock({ kinds: ["organization", "organizationalBranding"] });
  const portal = (): ReturnType<typeof createGateway> => createGateway({ env: demo.repo.env });
  const file = (name: string): string => join(demo.repo.dir, FOLDER, name);
  const navy = png(200, 30, [0, 51, 102]);
  const red = png(220, 36, [200, 0, 0]);
  const green = png(240, 36, [0, 140, 0]);
  let baseline = "";

  it("sync commits alice's new banner logo beside the document, authored by her, byte for byte", async () => {
    await portal().patch(BRANDING, { signInPageText: "Contoso staff only" });
    await portal().putStream(`${BRANDING}/localizations/0/bannerLogo`, navy, "image/png");
    expect((await demo.repo.cli("export")).code).toBe(0);
    commit(demo.repo, "export the branding with its navy banner");
    baseline = git(demo.repo.dir, "rev-parse", "HEAD");
    // The first sync records where it read (a full read); the next ones continue incrementally.
    catchUpAuditLog(demo.started.sandbox);
    const first = await demo.repo.cli("sync");
    expect(first.code, first.stderr + first.stdout).toBe(0);
    expect(git(demo.repo.dir, "status", "--porcelain")).toBe("");

    await putImage(asUser(demo.started, "alice@contoso.onmicrosoft.com"), demo.started.sandbox.tenantId, "0/bannerLogo", red);
    catchUpAuditLog(demo.started.sandbox);
    const sync = await demo.repo.cli("sync");
    expect(sync.code, sync.stderr + sync.stdout).toBe(0);
    expect(sync.stdout + sync.stderr).toMatch(/reading what changed since the last sync/);
    expect(git(demo.repo.dir, "log", "-1", "--format=%an <%ae>|%cn")).toMatch(/^Alice .*<alice@contoso\.onmicrosoft\.com>\|entra-gitops$/);
    expect(git(demo.repo.dir, "show", "--name-only", "--format=", "HEAD").split("\n")).toContain(`${FOLDER}/default.bannerLogo.png`);
    const tenant = (await portal().getStream(`${BRANDING}/localizations/0/bannerLogo`))?.bytes;
    expect(tenant?.equals(red)).toBe(true);
    expect(readFileSync(file("default.bannerLogo.png")).equals(red)).toBe(true);
    expect(committedBytes(demo.repo.dir, `HEAD:${FOLDER}/default.bannerLogo.png`).equals(red)).toBe(true);
    expect(git(demo.repo.dir, "status", "--porcelain")).toBe("");
    // Nothing more to record: the next sync finds no drift.
    catchUpAuditLog(demo.started.sandbox);
    const again = await demo.repo.cli("sync");
    expect(again.stdout).toContain("No drift");
  });

  it("drift names an image changed in the portal by digest and size, never bytes, and exits 2", async () => {
    await putImage(asUser(demo.started, "bob@contoso.onmicrosoft.com"), demo.started.sandbox.tenantId, "0/headerLogo", green);
    catchUpAuditLog(demo.started.sandbox);
    const drift = await demo.repo.cli("drift");
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    expect(drift.stdout).toMatch(new RegExp(`headerLogo: \\(none\\) → sha256 [0-9a-f]{12}… \\(${green.length} bytes\\)|headerLogo.*sha256 [0-9a-f]{12}… \\(${green.length} bytes\\)`));
    expect(drift.stdout).not.toContain(green.toString("base64").slice(0, 24));
    // Sync records it (an added image), then drift is clean.
    const sync = await demo.repo.cli("sync");
    expect(sync.code, sync.stderr + sync.stdout).toBe(0);
    expect(git(demo.repo.dir, "log", "-1", "--format=%ae")).toBe("bob@contoso.onmicrosoft.com");
    expect(committedBytes(demo.repo.dir, `HEAD:${FOLDER}/default.headerLogo.png`).equals(green)).toBe(true);
    const clean = await demo.repo.cli("drift");
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
  });

  it("plan --rev and rollback read the old logo from git; apply PUTs its bytes; replan empty", async () => {
    const rev = await demo.repo.cli("plan", "--rev", baseline, "--detailed-exitcode");
    expect(rev.code, rev.stdout + rev.stderr).toBe(2);
    expect(rev.stdout).toMatch(new RegExp(`bannerLogo: sha256 [0-9a-f]{12}… \\(${red.length} bytes\\) → sha256 [0-9a-f]{12}… \\(${navy.length} bytes\\)`));

    const rollback = await demo.repo.cli("rollback", "--to", baseline, "organizationalBranding/default");
    expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0);
    expect(rollback.stdout).toContain(`restore ${FOLDER}/default.bannerLogo.png (organizationalBranding/default)`);
    expect(rollback.stdout).toContain(`remove ${FOLDER}/default.headerLogo.png (organizationalBranding/default)`);
    expect(rollback.stdout).toMatch(/bannerLogo: sha256 [0-9a-f]{12}… \(\d+ bytes\) → sha256/);
    expect(committedBytes(demo.repo.dir, `HEAD:${FOLDER}/default.bannerLogo.png`).equals(navy)).toBe(true);
    expect(readFileSync(file("default.bannerLogo.png")).equals(navy)).toBe(true);
    expect(existsSync(file("default.headerLogo.png"))).toBe(false);
    demo.started.sandbox.clearRequests();
    await applyConverges(demo.repo);
    const tenantId = demo.started.sandbox.tenantId;
    expect(writes(demo.started.sandbox.requests()).map((e) => `${e.method} ${e.path} ${e.status}`).sort()).toEqual([
      `PUT /v1.0/organization/${tenantId}/branding/localizations/0/bannerLogo 204`,
      `PUT /v1.0/organization/${tenantId}/branding/localizations/0/headerLogo 204`,
    ]);
    expect((await portal().getStream(`${BRANDING}/localizations/0/bannerLogo`))?.bytes.equals(navy)).toBe(true);
    expect(await portal().getStream(`${BRANDING}/localizations/0/headerLogo`)).toBeUndefined();
  });

  it("rollback --apply writes the rolled-back image from git before committing", async () => {
    const before = git(demo.repo.dir, "rev-parse", "HEAD~1");
    const rollback = await demo.repo.cli("rollback", "--to", before, "--apply", "--auto-approve", "organizationalBranding/default");
    expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0);
    expect((await portal().getStream(`${BRANDING}/localizations/0/bannerLogo`))?.bytes.equals(red)).toBe(true);
    expect((await portal().getStream(`${BRANDING}/localizations/0/headerLogo`))?.bytes.equals(green)).toBe(true);
    expect(committedBytes(demo.repo.dir, `HEAD:${FOLDER}/default.headerLogo.png`).equals(green)).toBe(true);
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("an image changed in git that apply has not written yet is no drift: sync leaves it, apply writes it", async () => {
    writeFileSync(file("default.bannerLogo.png"), navy);
    // Committed at the sandbox's time (its clock runs ahead of this machine's: audit catch-ups).
    catchUpAuditLog(demo.started.sandbox);
    demo.started.sandbox.tenant.clock.advance(60_000);
    const at = `${Math.floor(demo.started.sandbox.tenant.clock.now().getTime() / 1000)} +0000`;
    git(demo.repo.dir, "add", "-A");
    execFileSync("git", ["commit", "-q", "-m", "The navy banner again"], { cwd: demo.repo.dir, env: { ...process.env, GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at } });
    demo.started.sandbox.tenant.clock.advance(60_000);
    const sync = await demo.repo.cli("sync");
    expect(sync.code, sync.stderr + sync.stdout).toBe(0);
    expect(sync.stdout + sync.stderr).toMatch(/not applied yet: organizationalBranding\/default/);
    expect(committedBytes(demo.repo.dir, `HEAD:${FOLDER}/default.bannerLogo.png`).equals(navy)).toBe(true);
    expect(readFileSync(file("default.bannerLogo.png")).equals(navy)).toBe(true);
    await applyConverges(demo.repo);
    expect((await portal().getStream(`${BRANDING}/localizations/0/bannerLogo`))?.bytes.equals(navy)).toBe(true);
  });

  it("an image removed in the portal: sync removes the file (full read too)", async () => {
    await putImage(asUser(demo.started, "alice@contoso.onmicrosoft.com"), demo.started.sandbox.tenantId, "0/headerLogo", Buffer.alloc(0));
    catchUpAuditLog(demo.started.sandbox);
    const sync = await demo.repo.cli("sync", "--full");
    expect(sync.code, sync.stderr + sync.stdout).toBe(0);
    expect(git(demo.repo.dir, "log", "-1", "--format=%ae")).toBe("alice@contoso.onmicrosoft.com");
    expect(git(demo.repo.dir, "ls-files", FOLDER)).not.toContain("default.headerLogo.png");
    expect(existsSync(file("default.headerLogo.png"))).toBe(false);
    expect(existsSync(file("default.bannerLogo.png"))).toBe(true);
  });

  it("restore of a locale deleted in the portal re-creates it and PUTs its image from git", async () => {
    writeDoc(demo.repo, { kind: "organizationalBranding", name: "fr-fr", spec: { id: "fr-FR", signInPageText: "Réservé au personnel" } });
    const square = png(240, 240, [10, 20, 30]);
    writeFileSync(file("fr-fr.squareLogo.png"), square);
    commit(demo.repo, "French branding with a square logo");
    await applyConverges(demo.repo);
    // The next sync records the new locale's id (the id map), by which its deletion is matched.
    catchUpAuditLog(demo.started.sandbox);
    expect((await demo.repo.cli("sync")).code).toBe(0);
    const alice = asUser(demo.started, "alice@contoso.onmicrosoft.com");
    const tenantId = demo.started.sandbox.tenantId;
    // The admin center removes the image first (Graph refuses to delete a branding with one).
    await putImage(alice, tenantId, "fr-FR/squareLogo", Buffer.alloc(0));
    await alice.api(`/organization/${tenantId}/branding/localizations/fr-FR`).delete();
    catchUpAuditLog(demo.started.sandbox);
    const sync = await demo.repo.cli("sync");
    expect(sync.code, sync.stderr + sync.stdout).toBe(0);
    expect(git(demo.repo.dir, "ls-files", FOLDER), sync.stdout + sync.stderr).not.toContain("fr-fr");

    demo.started.sandbox.clearRequests();
    const restore = await demo.repo.cli("restore", "organizationalBranding/fr-fr", "--auto-approve");
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    expect(writes(demo.started.sandbox.requests()).map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      `POST /v1.0/organization/${tenantId}/branding/localizations 201`,
      `PUT /v1.0/organization/${tenantId}/branding/localizations/fr-FR/squareLogo 204`,
    ]);
    expect((await portal().getStream(`${BRANDING}/localizations/fr-FR/squareLogo`))?.bytes.equals(square)).toBe(true);
    expect(committedBytes(demo.repo.dir, `HEAD:${FOLDER}/fr-fr.squareLogo.png`).equals(square)).toBe(true);
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("with the revert drift policy, sync PUTs HEAD's image back over a portal change and commits nothing", async () => {
    writeFileSync(demo.repo.configFile, `${readFileSync(demo.repo.configFile, "utf8")}drift:\n  organizationalBranding: revert\n`);
    commit(demo.repo, "revert branding drift");
    const head = git(demo.repo.dir, "rev-parse", "HEAD");
    await putImage(asUser(demo.started, "bob@contoso.onmicrosoft.com"), demo.started.sandbox.tenantId, "0/bannerLogo", red);
    catchUpAuditLog(demo.started.sandbox);
    const sync = await demo.repo.cli("sync");
    expect(sync.code, sync.stderr + sync.stdout).toBe(0);
    expect((await portal().getStream(`${BRANDING}/localizations/0/bannerLogo`))?.bytes.equals(navy)).toBe(true);
    expect(git(demo.repo.dir, "log", "--format=%s", `${head}..HEAD`, "--", FOLDER)).toBe("");
    expect(readFileSync(file("default.bannerLogo.png")).equals(navy)).toBe(true);
  });

  it("with the pr drift policy, sync commits the image on a drift branch, byte for byte, and the next run finds it already proposed", async () => {
    const config = readFileSync(demo.repo.configFile, "utf8").replace("organizationalBranding: revert", "organizationalBranding: pr");
    writeFileSync(demo.repo.configFile, config);
    commit(demo.repo, "propose branding drift");
    const head = git(demo.repo.dir, "rev-parse", "HEAD");
    await putImage(asUser(demo.started, "bob@contoso.onmicrosoft.com"), demo.started.sandbox.tenantId, "0/bannerLogo", green);
    catchUpAuditLog(demo.started.sandbox);
    const sync = await demo.repo.cli("sync");
    expect(sync.code, sync.stderr + sync.stdout).toBe(0);
    const branch = /drift branch: (entra-gitops\/drift-[^ ]+) /.exec(sync.stdout)?.[1] ?? "";
    expect(branch, sync.stdout).not.toBe("");
    expect(committedBytes(demo.repo.dir, `${branch}:${FOLDER}/default.bannerLogo.png`).equals(green)).toBe(true);
    expect(git(demo.repo.dir, "log", "-1", "--format=%ae", branch)).toBe("bob@contoso.onmicrosoft.com");
    expect(git(demo.repo.dir, "log", "--format=%s", `${head}..HEAD`, "--", FOLDER)).toBe("");
    expect(readFileSync(file("default.bannerLogo.png")).equals(navy)).toBe(true);
    const again = await demo.repo.cli("sync");
    expect(again.stdout).toContain(`drift for a pull request is already on ${branch} (an earlier sync): no new branch`);
  });
});

/** A committed blob's bytes (`git cat-file blob REV:PATH`, never decoded as text). */
function committedBytes(dir: string, object: string): Buffer {
  return execFileSync("git", ["-C", dir, "cat-file", "blob", object]);
}
