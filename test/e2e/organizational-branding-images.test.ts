/**
 * Company branding images (`organizationalBranding`'s stream properties) as files beside the
 * documents, through the CLI against the sandbox: an image set in the portal is exported as
 * `default.bannerLogo.png` (the document has no image property) → plan empty → the file replaced →
 * the plan shows the digests and sizes, apply PUTs the bytes (no JSON write) → plan empty → a file
 * over Graph's limit is refused at plan naming the file, nothing written → the file removed →
 * apply removes the image → plan empty → a locale created with an image (POST, then PUT) and
 * deleted (images removed first, as Graph requires) → an image changed in the portal is drift in
 * plan and a new export writes it. Bytes never appear in the plan.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createGateway } from "../../src/graph/create.js";
import { png } from "../helpers/images.js";
import { applyConverges, commit, demoRepoBlock, readDoc, removeDoc, writeDoc, writes } from "./apply-fixture.js";

describe("organizationalBranding images: files beside the documents, compared by SHA-256", () => {
  const demo = demoRepoBlock({ kinds: ["organization", "organizationalBranding"] });
  const BRANDING = "/organization/{tenantId}/branding";
  const portal = (): ReturnType<typeof createGateway> => createGateway({ env: demo.repo.env });
  const file = (name: string): string => join(demo.repo.dir, "tenant-config", "organizationalBranding", name);
  const navy = png(200, 30, [0, 51, 102]);
  const red = png(220, 36, [200, 0, 0]);

  it("export writes the portal's image beside the document, which holds no image property; the plan is empty", async () => {
    await portal().patch(BRANDING, { signInPageText: "Contoso staff only" });
    await portal().putStream(`${BRANDING}/localizations/0/bannerLogo`, navy, "image/png");
    const exported = await demo.repo.cli("export");
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(file("default.bannerLogo.png")).equals(navy)).toBe(true);
    expect(readDoc(demo.repo, "organizationalBranding", "default").spec).toEqual({ id: "0", signInPageText: "Contoso staff only" });
    expect(readFileSync(file("default.yaml"), "utf8")).not.toMatch(/bannerLogo|sha256/);
    commit(demo.repo, "export with the banner logo");
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("a replaced file is planned by digest and size, and apply PUTs its bytes without a JSON write", async () => {
    writeFileSync(file("default.bannerLogo.png"), red);
    commit(demo.repo, "red banner");
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout).toMatch(/bannerLogo/);
    expect(plan.stdout).toMatch(new RegExp(`bannerLogo: sha256 [0-9a-f]{12}… \\(${navy.length} bytes\\) → sha256 [0-9a-f]{12}… \\(${red.length} bytes\\)`));
    expect(plan.stdout).not.toContain(red.toString("base64").slice(0, 24));
    demo.started.sandbox.clearRequests();
    await applyConverges(demo.repo);
    const written = writes(demo.started.sandbox.requests()).map((e) => `${e.method} ${e.path} ${e.status}`);
    const tenant = demo.started.sandbox.tenantId;
    expect(written).toEqual([`PUT /v1.0/organization/${tenant}/branding/localizations/0/bannerLogo 204`]);
    expect((await portal().getStream(`${BRANDING}/bannerLogo`))?.bytes.equals(red)).toBe(true);
  });

  it("a file over Graph's limit stops the plan naming the file and field; apply writes nothing", async () => {
    writeFileSync(file("default.squareLogo.png"), png(240, 240, [0, 0, 0], 11 * 1024));
    commit(demo.repo, "a square logo too big");
    const plan = await demo.repo.cli("plan");
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/tenant-config[/\\]organizationalBranding[/\\]default\.squareLogo\.png: spec\.squareLogo: 1[01]\.\d KB is over the 10\.0 KB/);
    demo.started.sandbox.clearRequests();
    expect((await demo.repo.cli("apply", "--auto-approve")).code).not.toBe(0);
    expect(writes(demo.started.sandbox.requests())).toEqual([]);
    rmSync(file("default.squareLogo.png"));
    commit(demo.repo, "no square logo");
  });

  it("a removed file removes the image (an empty PUT), then the plan is empty", async () => {
    rmSync(file("default.bannerLogo.png"));
    commit(demo.repo, "no banner");
    await applyConverges(demo.repo);
    expect(await portal().getStream(`${BRANDING}/bannerLogo`)).toBeUndefined();
    expect(((await portal().get(BRANDING)) as { bannerLogoRelativeUrl: unknown }).bannerLogoRelativeUrl).toBeNull();
  });

  it("a locale is created with its image (POST, then PUT) and deleted once its image is removed", async () => {
    writeDoc(demo.repo, { kind: "organizationalBranding", name: "fr-fr", spec: { id: "fr-FR", signInPageText: "Réservé au personnel" } });
    writeFileSync(file("fr-fr.squareLogo.png"), png(240, 240));
    commit(demo.repo, "French branding with a square logo");
    demo.started.sandbox.clearRequests();
    expect(await applyConverges(demo.repo)).toContain("created organizationalBranding/fr-fr");
    const tenant = demo.started.sandbox.tenantId;
    const created = writes(demo.started.sandbox.requests()).map((e) => `${e.method} ${e.path} ${e.status}`);
    expect(created).toEqual([`POST /v1.0/organization/${tenant}/branding/localizations 201`, `PUT /v1.0/organization/${tenant}/branding/localizations/fr-FR/squareLogo 204`]);
    removeDoc(demo.repo, "organizationalBranding", "fr-fr");
    rmSync(file("fr-fr.squareLogo.png"));
    commit(demo.repo, "no French branding");
    demo.started.sandbox.clearRequests();
    expect(await applyConverges(demo.repo, "--allow-delete")).toContain("deleted organizationalBranding/fr-fr");
    const deleted = writes(demo.started.sandbox.requests()).map((e) => `${e.method} ${e.path} ${e.status}`);
    expect(deleted).toEqual([`PUT /v1.0/organization/${tenant}/branding/localizations/fr-FR/squareLogo 204`, `DELETE /v1.0/organization/${tenant}/branding/localizations/fr-FR 204`]);
  });

  it("an image changed in the portal is drift in the plan, and export writes the new bytes", async () => {
    await portal().putStream(`${BRANDING}/localizations/0/headerLogo`, red, "image/png");
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout).toMatch(/headerLogo/);
    const exported = await demo.repo.cli("export");
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(file("default.headerLogo.png")).equals(red)).toBe(true);
    expect(existsSync(file("default.bannerLogo.png"))).toBe(false);
    commit(demo.repo, "export the portal's header logo");
    const after = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(after.code, after.stdout + after.stderr).toBe(0);
  });
});
