/**
 * Cross-tenant identity synchronization (`crossTenantIdentitySync`, one per partner at
 * `/policies/crossTenantAccessPolicy/partners/{tenantId}/identitySynchronization`): none in the demo
 * tenant → created by PUT through apply → plan empty → `isSyncAllowed` changed → plan empty; a new
 * partner and its synchronization created in one apply (the partner first); export reads them back
 * under the partner's name; deleted through prune; the sandbox refuses what Graph documents it refuses.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withDocumentSeed } from "../../src/cli/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { detectKind } from "../../src/engine/import/detect-kind.js";
import { getKind } from "../../src/kinds/registry.js";
import { catchUpAuditLog } from "../helpers/sandbox.js";
import { git, tempRepo } from "../helpers/cli.js";
import { applyConverges, commit, demoRepoBlock, editSpec, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const PARTNERS = "/policies/crossTenantAccessPolicy/partners";
const FABRIKAM = "8c3dad1d-b6bc-4f8b-939b-8263372eced6";
const NEW_PARTNER = "4d2a8a49-4b4e-4a8f-9a57-1f0c1d6a3b21";
const syncPath = (tenantId: string): string => `${PARTNERS}/${tenantId}/identitySynchronization`;
type Live = { tenantId: string; displayName: string | null; userSyncInbound: { isSyncAllowed: boolean } | null };

describe("crossTenantIdentitySync: exported, planned and applied under its partner", () => {
  const demo = demoRepoBlock({ kinds: ["crossTenantAccessPolicyPartner", "crossTenantIdentitySync"] });

  it("reads none in the demo tenant (404 per partner) and plans empty", async () => {
    await expect(demo.client.api(syncPath(FABRIKAM)).get()).rejects.toMatchObject({ statusCode: 404 });
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("creates a partner's synchronization by PUT, then changes isSyncAllowed, each followed by an empty plan", async () => {
    writeDoc(demo.repo, { kind: "crossTenantIdentitySync", name: "fabrikam", spec: { tenantId: FABRIKAM, displayName: "Fabrikam", userSyncInbound: { isSyncAllowed: true } } });
    commit(demo.repo, "sync users in from Fabrikam");
    expect(await applyConverges(demo.repo)).toContain("created crossTenantIdentitySync/fabrikam");
    expect((await demo.client.api(syncPath(FABRIKAM)).get()) as Live).toMatchObject({ tenantId: FABRIKAM, displayName: "Fabrikam", userSyncInbound: { isSyncAllowed: true } });

    editSpec(demo.repo, "crossTenantIdentitySync", "fabrikam", (spec) => {
      spec.userSyncInbound = { isSyncAllowed: false };
    });
    commit(demo.repo, "pause the sync");
    expect(await applyConverges(demo.repo)).toContain("updated crossTenantIdentitySync/fabrikam");
    expect(((await demo.client.api(syncPath(FABRIKAM)).get()) as Live).userSyncInbound?.isSyncAllowed).toBe(false);
  });

  it("creates a new partner and its synchronization in one apply, the partner first", async () => {
    writeDoc(demo.repo, { kind: "crossTenantAccessPolicyPartner", name: NEW_PARTNER, spec: { tenantId: NEW_PARTNER } });
    writeDoc(demo.repo, { kind: "crossTenantIdentitySync", name: NEW_PARTNER, spec: { tenantId: NEW_PARTNER, userSyncInbound: { isSyncAllowed: true } } });
    commit(demo.repo, "a new partner with sync");
    const out = await applyConverges(demo.repo);
    expect(out.indexOf(`created crossTenantAccessPolicyPartner/${NEW_PARTNER}`)).toBeGreaterThanOrEqual(0);
    expect(out.indexOf(`created crossTenantIdentitySync/${NEW_PARTNER}`)).toBeGreaterThan(out.indexOf(`created crossTenantAccessPolicyPartner/${NEW_PARTNER}`));
    expect(((await demo.client.api(syncPath(NEW_PARTNER)).get()) as Live).userSyncInbound?.isSyncAllowed).toBe(true);
  });

  it("export reads every partner's synchronization back as the documents hold it", async () => {
    const exported = await demo.repo.cli("export");
    expect(exported.code, exported.stderr).toBe(0);
    expect(readDoc(demo.repo, "crossTenantIdentitySync", "fabrikam").spec).toEqual({ tenantId: FABRIKAM, displayName: "Fabrikam", userSyncInbound: { isSyncAllowed: false } });
    expect(readDoc(demo.repo, "crossTenantIdentitySync", NEW_PARTNER).spec).toEqual({ tenantId: NEW_PARTNER, userSyncInbound: { isSyncAllowed: true } });
    commit(demo.repo, "re-export");
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("sync commits a change made in the tenant to the document", async () => {
    await demo.client.api(syncPath(NEW_PARTNER)).patch({ userSyncInbound: { isSyncAllowed: false } });
    catchUpAuditLog(demo.started.sandbox);
    const synced = await demo.repo.cli("sync");
    expect(synced.code, synced.stdout + synced.stderr).toBe(0);
    expect(readDoc(demo.repo, "crossTenantIdentitySync", NEW_PARTNER).spec).toEqual({ tenantId: NEW_PARTNER, userSyncInbound: { isSyncAllowed: false } });
    expect(git(demo.repo.dir, "log", "-1", "--name-only")).toContain(`crossTenantIdentitySync/${NEW_PARTNER}.yaml`);
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("deletes a synchronization whose document is removed (prune), leaving the partner", async () => {
    removeDoc(demo.repo, "crossTenantIdentitySync", "fabrikam");
    commit(demo.repo, "stop syncing from Fabrikam");
    expect(await applyConverges(demo.repo, "--allow-delete")).toContain("deleted crossTenantIdentitySync/fabrikam");
    await expect(demo.client.api(syncPath(FABRIKAM)).get()).rejects.toMatchObject({ statusCode: 404 });
    expect((await demo.client.api(`${PARTNERS}/${FABRIKAM}`).get()) as { tenantId: string }).toMatchObject({ tenantId: FABRIKAM });
  });

  it("sandbox: only under an existing partner, only displayName and userSyncInbound, a boolean isSyncAllowed, the partner's tenantId", async () => {
    const unknown = "0b8e7c7e-9c39-4f0a-8a3a-5f8d2f7c1e11";
    await expect(demo.client.api(syncPath(unknown)).put({ userSyncInbound: { isSyncAllowed: true } })).rejects.toMatchObject({ statusCode: 404 });
    await expect(demo.client.api(syncPath(FABRIKAM)).patch({ displayName: "x" })).rejects.toMatchObject({ statusCode: 404 });
    await expect(demo.client.api(syncPath(FABRIKAM)).put({ userSyncInbound: { isSyncAllowed: "yes" } })).rejects.toMatchObject({ statusCode: 400 });
    await expect(demo.client.api(syncPath(FABRIKAM)).put({ userSyncOutbound: {} })).rejects.toMatchObject({ statusCode: 400 });
    await expect(demo.client.api(syncPath(FABRIKAM)).put({ tenantId: NEW_PARTNER })).rejects.toMatchObject({ statusCode: 400 });
    await expect(demo.client.api(syncPath(FABRIKAM)).delete()).rejects.toMatchObject({ statusCode: 404 });
  });

  it("import tells it from its partner by context and shape; sync's audit words are its own", () => {
    const context = `https://graph.microsoft.com/v1.0/$metadata#policies/crossTenantAccessPolicy/partners('${FABRIKAM}')/identitySynchronization/$entity`;
    expect(detectKind({ "@odata.context": context, tenantId: FABRIKAM }, ".")).toEqual({ kind: "crossTenantIdentitySync" });
    expect(detectKind({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/crossTenantAccessPolicy/partners/$entity", tenantId: FABRIKAM }, ".")).toEqual({ kind: "crossTenantAccessPolicyPartner" });
    expect(detectKind({ tenantId: FABRIKAM, userSyncInbound: { isSyncAllowed: true } }, ".")).toEqual({ kind: "crossTenantIdentitySync" });
    const owners = (activity: string) =>
      (["crossTenantAccessPolicy", "crossTenantAccessPolicyDefault", "crossTenantAccessPolicyPartner", "crossTenantIdentitySync"] as const).filter((k) => getKind(k).audit.activity.test(activity));
    expect(owners("Update cross-tenant identity synchronization policy")).toEqual(["crossTenantIdentitySync"]);
    expect(owners("Update a partner cross-tenant access setting")).toEqual(["crossTenantAccessPolicyPartner"]);
  });
});

describe("crossTenantIdentitySync in a rehearsal seeded from documents", () => {
  it("is created by PUT at its partner's path after the partner", async () => {
    const { dir } = tempRepo("configDir: tenant-config\nkinds: [crossTenantAccessPolicyPartner, crossTenantIdentitySync]\nbreakGlass:\n  accounts: []\n  groups: []\n");
    const write = (kind: string, text: string): void => {
      mkdirSync(join(dir, "tenant-config", kind), { recursive: true });
      writeFileSync(join(dir, "tenant-config", kind, "partner.yaml"), text);
    };
    write("crossTenantAccessPolicyPartner", `kind: crossTenantAccessPolicyPartner\nname: partner\nspec:\n  tenantId: ${NEW_PARTNER}\n`);
    write("crossTenantIdentitySync", `kind: crossTenantIdentitySync\nname: partner\nspec:\n  tenantId: ${NEW_PARTNER}\n  userSyncInbound:\n    isSyncAllowed: true\n`);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "partner with sync");
    const started = await startSandbox(await withDocumentSeed({ seed: { dir } }, undefined, () => undefined));
    try {
      expect(started.sandbox.seedReport.failures, JSON.stringify(started.sandbox.seedReport.failures)).toEqual([]);
      expect(((await started.client.api(syncPath(NEW_PARTNER)).get()) as Live).userSyncInbound?.isSyncAllowed).toBe(true);
    } finally {
      await started.stop();
    }
  });
});
