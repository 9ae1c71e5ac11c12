/**
 * The cross-tenant access policy itself (`crossTenantAccessPolicy`, `/policies/crossTenantAccessPolicy`):
 * a singleton read by GET and written by PATCH, where `allowedCloudEndpoints` is the configuration.
 * Export → plan empty → clouds added through apply → plan empty → removed → plan empty; removing the
 * document proposes nothing; the default and partner configurations under the same path stay their
 * own kinds (export, import detection, audit words); the sandbox refuses an unknown cloud and a
 * property the policy does not have, as Graph documents them.
 */
import { describe, expect, it } from "vitest";
import { detectKind } from "../../src/engine/import/detect-kind.js";
import type { JsonObject } from "../../src/model/document.js";
import { getKind } from "../../src/kinds/registry.js";
import { applyConverges, commit, demoRepoBlock, editSpec, readDoc, removeDoc } from "./apply-fixture.js";

const PATH = "/policies/crossTenantAccessPolicy";
type Live = { displayName: string; allowedCloudEndpoints: string[] };

describe("crossTenantAccessPolicy: exported, planned and applied", () => {
  const demo = demoRepoBlock();

  it("is exported as one document (no clouds: an empty spec), next to the default's own document, and plans empty", async () => {
    // No other cloud in a new tenant: the empty list is left out like every empty value.
    expect(readDoc(demo.repo, "crossTenantAccessPolicy", "default").spec).toEqual({});
    expect(readDoc(demo.repo, "crossTenantAccessPolicyDefault", "default").spec).not.toHaveProperty("allowedCloudEndpoints");
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("allows two other Microsoft clouds through apply, then none again, each followed by an empty plan", async () => {
    editSpec(demo.repo, "crossTenantAccessPolicy", "default", (spec) => {
      spec.allowedCloudEndpoints = ["microsoftonline.us", "partner.microsoftonline.cn"];
    });
    commit(demo.repo, "collaborate with US Government and China clouds");
    expect(await applyConverges(demo.repo)).toContain("updated crossTenantAccessPolicy/default");
    expect(((await demo.client.api(PATH).get()) as Live).allowedCloudEndpoints.sort()).toEqual(["microsoftonline.us", "partner.microsoftonline.cn"]);

    editSpec(demo.repo, "crossTenantAccessPolicy", "default", (spec) => {
      spec.allowedCloudEndpoints = [];
    });
    commit(demo.repo, "no other cloud");
    expect(await applyConverges(demo.repo)).toContain("updated crossTenantAccessPolicy/default");
    expect(((await demo.client.api(PATH).get()) as Live).allowedCloudEndpoints).toEqual([]);
  });

  it("validate names the file, line and field of a cloud list that is not a list of strings", async () => {
    editSpec(demo.repo, "crossTenantAccessPolicy", "default", (spec) => {
      spec.allowedCloudEndpoints = "microsoftonline.us";
    });
    commit(demo.repo, "not a list");
    const validated = await demo.repo.cli("validate");
    expect(validated.code).toBe(1);
    expect(validated.stderr).toMatch(/crossTenantAccessPolicy[/\\]default\.yaml:\d+:\d+.*allowedCloudEndpoints/);
  });

  it("is never deleted: removing its document proposes nothing", async () => {
    removeDoc(demo.repo, "crossTenantAccessPolicy", "default");
    commit(demo.repo, "drop the document");
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("sandbox: an unknown cloud, a cloud named twice, a non-list or an unknown property → 400; nothing changes", async () => {
    await expect(demo.client.api(PATH).patch({ allowedCloudEndpoints: ["example.com"] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(demo.client.api(PATH).patch({ allowedCloudEndpoints: ["microsoftonline.us", "microsoftonline.us"] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(demo.client.api(PATH).patch({ allowedCloudEndpoints: "microsoftonline.us" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(demo.client.api(PATH).patch({ isServiceDefault: true })).rejects.toMatchObject({ statusCode: 400 });
    expect(((await demo.client.api(PATH).get()) as Live).allowedCloudEndpoints).toEqual([]);
  });

  it("import tells the root from its default and partners; audit words of each stay with its kind", () => {
    const ctx = (path: string): JsonObject => ({ "@odata.context": `https://graph.microsoft.com/v1.0/$metadata#policies/${path}/$entity` });
    expect(detectKind(ctx("crossTenantAccessPolicy"), ".")).toEqual({ kind: "crossTenantAccessPolicy" });
    expect(detectKind(ctx("crossTenantAccessPolicy/default"), ".")).toEqual({ kind: "crossTenantAccessPolicyDefault" });
    expect(detectKind(ctx("crossTenantAccessPolicy/partners"), ".")).toEqual({ kind: "crossTenantAccessPolicyPartner" });
    expect(detectKind({ displayName: "CrossTenantAccessPolicy", allowedCloudEndpoints: [] }, ".")).toEqual({ kind: "crossTenantAccessPolicy" });
    const owner = (activity: string): string[] =>
      ["crossTenantAccessPolicy", "crossTenantAccessPolicyDefault", "crossTenantAccessPolicyPartner"].filter((k) => getKind(k as "crossTenantAccessPolicy").audit.activity.test(activity));
    expect(owner("Update cross-tenant access policy")).toEqual(["crossTenantAccessPolicy"]);
    expect(owner("Update the company default cross-tenant access setting")).toEqual(["crossTenantAccessPolicyDefault"]);
    expect(owner("Reset the cross-tenant access default setting")).toEqual(["crossTenantAccessPolicyDefault"]);
    expect(owner("Update a partner cross-tenant access setting")).toEqual(["crossTenantAccessPolicyPartner"]);
  });
});
