/**
 * Company branding (`organizationalBranding`, opt-in): one document per localization of
 * `/organization/{tenantId}/branding/localizations`, the default (id `0`) as `default`. A new
 * tenant has none (GET of the branding answers 404): export writes nothing and plans empty; the
 * default (created by PATCH of the branding) and a French localization (POST) are created through
 * apply → plan empty → text edited → plan empty → the localization deleted, then the default →
 * plan empty; validate names file, line and field of an image or CDN path; the sandbox refuses
 * what Graph documents as read-only or out of range.
 */
import { describe, expect, it } from "vitest";
import { asUser } from "../helpers/actors.js";
import { git } from "../helpers/cli.js";
import { catchUpAuditLog } from "../helpers/sandbox.js";
import { applyConverges, commit, demoRepoBlock, editSpec, readDoc, removeDoc, writeDoc, writes } from "./apply-fixture.js";

const GLOBAL_ADMIN = "breakglass01@contoso.onmicrosoft.com";
type Localization = { id: string; signInPageText: string | null; usernameHintText: string | null; backgroundColor: string | null };

describe("organizationalBranding: exported, planned and applied", () => {
  // With the organization too, so the configuration folder exists before any branding does.
  const demo = demoRepoBlock({ kinds: ["organization", "organizationalBranding"] });
  const branding = (): string => `/organization/${demo.started.sandbox.tenantId}/branding`;
  const localizations = async (): Promise<Localization[]> => ((await demo.client.api(`${branding()}/localizations`).get()) as { value: Localization[] }).value;

  it("a tenant without branding: GET answers 404, export writes no document, the plan is empty", async () => {
    await expect(demo.client.api(branding()).get()).rejects.toMatchObject({ statusCode: 404 });
    expect(await localizations()).toEqual([]);
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("creates the default branding (PATCH) and a French localization (POST) through apply, then plans empty", async () => {
    writeDoc(demo.repo, {
      kind: "organizationalBranding",
      name: "default",
      spec: { id: "0", signInPageText: "Contoso staff only", usernameHintText: "you@contoso.com", backgroundColor: "#003366", loginPageTextVisibilitySettings: { hideForgotMyPassword: true } },
    });
    writeDoc(demo.repo, { kind: "organizationalBranding", name: "fr-fr", spec: { id: "fr-FR", signInPageText: "Réservé au personnel de Contoso" } });
    commit(demo.repo, "branding");
    demo.started.sandbox.clearRequests();
    const out = await applyConverges(demo.repo);
    expect(out).toContain("created organizationalBranding/default");
    expect(out).toContain("created organizationalBranding/fr-fr");
    const tenant = demo.started.sandbox.tenantId;
    const written = writes(demo.started.sandbox.requests()).map((e) => `${e.method} ${e.path} ${e.status}`);
    expect(written).toContain(`PATCH /v1.0/organization/${tenant}/branding 204`);
    expect(written).toContain(`POST /v1.0/organization/${tenant}/branding/localizations 201`);
    expect(await localizations()).toMatchObject([
      { id: "0", signInPageText: "Contoso staff only", usernameHintText: "you@contoso.com", backgroundColor: "#003366" },
      { id: "fr-FR", signInPageText: "Réservé au personnel de Contoso" },
    ]);
    // A fresh export holds the same documents.
    const exported = await demo.repo.cli("export");
    expect(exported.code, exported.stderr).toBe(0);
    expect(readDoc(demo.repo, "organizationalBranding", "fr-fr").spec).toEqual({ id: "fr-FR", signInPageText: "Réservé au personnel de Contoso" });
  });

  it("updates a localization's text by PATCH, then plans empty", async () => {
    editSpec(demo.repo, "organizationalBranding", "fr-fr", (spec) => {
      spec.usernameHintText = "vous@contoso.com";
    });
    commit(demo.repo, "French hint");
    expect(await applyConverges(demo.repo)).toContain("updated organizationalBranding/fr-fr");
    expect((await localizations()).find((l) => l.id === "fr-FR")?.usernameHintText).toBe("vous@contoso.com");
  });

  it("validate names the file, line and field of a CDN path, and apply writes nothing", async () => {
    editSpec(demo.repo, "organizationalBranding", "default", (spec) => {
      spec.bannerLogoRelativeUrl = "contoso/logintenantbranding/0/bannerlogo";
    });
    commit(demo.repo, "a logo path");
    const validated = await demo.repo.cli("validate");
    expect(validated.code).toBe(1);
    expect(validated.stderr).toMatch(/organizationalBranding[/\\]default\.yaml:\d+:\d+.*bannerLogoRelativeUrl/);
    demo.started.sandbox.clearRequests();
    expect((await demo.repo.cli("apply", "--auto-approve")).code).not.toBe(0);
    expect(writes(demo.started.sandbox.requests())).toEqual([]);
    editSpec(demo.repo, "organizationalBranding", "default", (spec) => {
      delete spec.bannerLogoRelativeUrl;
    });
    commit(demo.repo, "no logo path");
  });

  it("sync commits a portal change of the sign-in text as the administrator who made it", async () => {
    await asUser(demo.started, GLOBAL_ADMIN).api(branding()).patch({ signInPageText: "Contoso staff and partners" });
    catchUpAuditLog(demo.started.sandbox);
    const base = git(demo.repo.dir, "rev-parse", "HEAD");
    const sync = await demo.repo.cli("sync");
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    expect(readDoc(demo.repo, "organizationalBranding", "default").spec.signInPageText).toBe("Contoso staff and partners");
    const log = git(demo.repo.dir, "log", "--format=%ae", `${base}..HEAD`, "--", "tenant-config/organizationalBranding").split("\n");
    expect(log).toEqual([GLOBAL_ADMIN]);
  });

  it("deletes the localization, then the default branding, each followed by an empty plan", async () => {
    removeDoc(demo.repo, "organizationalBranding", "fr-fr");
    commit(demo.repo, "no French branding");
    expect(await applyConverges(demo.repo, "--allow-delete")).toContain("deleted organizationalBranding/fr-fr");
    expect((await localizations()).map((l) => l.id)).toEqual(["0"]);
    removeDoc(demo.repo, "organizationalBranding", "default");
    commit(demo.repo, "no branding");
    expect(await applyConverges(demo.repo, "--allow-delete")).toContain("deleted organizationalBranding/default");
    await expect(demo.client.api(branding()).get()).rejects.toMatchObject({ statusCode: 404 });
  });

  it("sandbox: refuses images in JSON, CDN paths, overlong texts, a colour not in hex, the default as a POST, a locale twice, another tenant", async () => {
    const client = demo.client;
    await expect(client.api(branding()).patch({ bannerLogo: "aGVsbG8=" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(branding()).patch({ cdnList: [] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(branding()).patch({ usernameHintText: "x".repeat(65) })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(branding()).patch({ backgroundColor: "blue" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(branding()).patch({ loginPageTextVisibilitySettings: { hideForgotMyPassword: "yes" } })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${branding()}/localizations`).post({ id: "0" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${branding()}/localizations`).post({ id: "de-DE" })).resolves.toMatchObject({ id: "de-DE" });
    await expect(client.api(`${branding()}/localizations`).post({ id: "de-DE" })).rejects.toMatchObject({ statusCode: 400 });
    // Creating a localization created the default too.
    await expect(client.api(branding()).get()).resolves.toMatchObject({ id: "0" });
    await expect(client.api(`/organization/00000000-0000-0000-0000-000000000001/branding`).get()).rejects.toMatchObject({ statusCode: 404 });
  });
});
