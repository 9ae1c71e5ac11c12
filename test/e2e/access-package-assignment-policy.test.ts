/**
 * Entitlement management assignment policies through the CLI against the sandbox (opt-in, with
 * their access packages and catalogs; users and groups in the default kinds): export (package,
 * approvers and targets by name) → plan empty → edit approval stages → apply (a PUT of the whole
 * policy) → plan empty → create → plan empty → delete → plan empty; validate names file, line and
 * field; the sandbox refuses what Graph refuses.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, findByName, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const EM = "/identityGovernance/entitlementManagement";
const POLICIES = `${EM}/assignmentPolicies`;
const ALICE = "alice@contoso.onmicrosoft.com";
type List = { value: Record<string, unknown>[] };

describe("accessPackageAssignmentPolicy: who gets an access package and who approves (opt-in)", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  let packageId = "";
  let aliceId = "";
  let financeId = "";
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    aliceId = String(((await client.api(`/users/${ALICE}`).get()) as { id: string }).id);
    financeId = String((await findByName(client, "/groups", "Finance Team")).id);
    const catalog = (await client.api(`${EM}/catalogs`).post({ displayName: "Sales" })) as { id: string };
    packageId = String(((await client.api(`${EM}/accessPackages`).post({ displayName: "Sales reps", catalog: { id: catalog.id } })) as { id: string }).id);
    await client.api(POLICIES).post({
      displayName: "Finance asks",
      description: "Finance team members ask, Alice approves",
      allowedTargetScope: "specificDirectoryUsers",
      specificAllowedTargets: [{ "@odata.type": "#microsoft.graph.groupMembers", groupId: financeId }],
      expiration: { type: "afterDuration", duration: "P90D" },
      requestorSettings: { enableTargetsToSelfAddAccess: true, enableTargetsToSelfRemoveAccess: true, onBehalfRequestors: [] },
      requestApprovalSettings: {
        isApprovalRequiredForAdd: true,
        isApprovalRequiredForUpdate: false,
        stages: [{ durationBeforeAutomaticDenial: "P7D", isApproverJustificationRequired: false, isEscalationEnabled: false, primaryApprovers: [{ "@odata.type": "#microsoft.graph.singleUser", userId: aliceId }], fallbackPrimaryApprovers: [] }],
      },
      accessPackage: { id: packageId },
    });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: ["group", "accessPackageCatalog", "accessPackage", "accessPackageAssignmentPolicy"] });
  });
  afterAll(async () => started?.stop());

  it("exports the policy with its package, targets and approvers by name and plans empty", async () => {
    const spec = readDoc(repo, "accessPackageAssignmentPolicy", "sales-reps-finance-asks").spec;
    expect(spec.accessPackage).toEqual({ id: "accessPackage:sales-reps" });
    expect(spec.specificAllowedTargets).toEqual([{ "@odata.type": "#microsoft.graph.groupMembers", groupId: "group:finance-team" }]);
    expect(spec.requestApprovalSettings).toMatchObject({ stages: [{ primaryApprovers: [{ "@odata.type": "#microsoft.graph.singleUser", userId: `user:${ALICE}` }] }] });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("updates (PUT of the whole policy), creates and deletes policies, each apply followed by an empty plan", async () => {
    editSpec(repo, "accessPackageAssignmentPolicy", "sales-reps-finance-asks", (spec) => {
      spec.description = "Finance team members ask, their manager then Alice approve";
      const approval = spec.requestApprovalSettings as { stages: Record<string, unknown>[] };
      approval.stages = [
        { durationBeforeAutomaticDenial: "P7D", isApproverJustificationRequired: true, isEscalationEnabled: false, primaryApprovers: [{ "@odata.type": "#microsoft.graph.requestorManager", managerLevel: 1 }] },
        { durationBeforeAutomaticDenial: "P7D", isApproverJustificationRequired: false, isEscalationEnabled: false, primaryApprovers: [{ "@odata.type": "#microsoft.graph.singleUser", userId: `user:${ALICE}` }] },
      ];
    });
    writeDoc(repo, {
      kind: "accessPackageAssignmentPolicy",
      name: "sales-reps-admin-only",
      spec: { displayName: "Admin only", allowedTargetScope: "notSpecified", expiration: { type: "noExpiration" }, accessPackage: { id: "accessPackage:sales-reps" } },
    });
    commit(repo, "two approval stages, an admin-only policy");
    const applied = await applyConverges(repo);
    expect(applied).toContain("updated accessPackageAssignmentPolicy/sales-reps-finance-asks");
    expect(applied).toContain("created accessPackageAssignmentPolicy/sales-reps-admin-only");
    const policies = ((await client.api(POLICIES).query({ $expand: "accessPackage" }).get()) as List).value;
    const asks = policies.find((p) => p.displayName === "Finance asks");
    expect(asks).toMatchObject({ description: "Finance team members ask, their manager then Alice approve", expiration: { type: "afterDuration", duration: "P90D" } });
    expect((asks?.requestApprovalSettings as { stages: unknown[] }).stages).toHaveLength(2);
    expect((policies.find((p) => p.displayName === "Admin only")?.accessPackage as Record<string, unknown>).id).toBe(packageId);
    expect(started.sandbox.requests().some((e) => e.method === "PUT" && e.path.includes("/assignmentPolicies/"))).toBe(true);

    removeDoc(repo, "accessPackageAssignmentPolicy", "sales-reps-admin-only");
    commit(repo, "no admin-only policy");
    expect(await applyConverges(repo, "--allow-delete")).toContain("deleted accessPackageAssignmentPolicy/sales-reps-admin-only");
    expect(((await client.api(POLICIES).get()) as List).value.map((p) => p.displayName)).toEqual(["Finance asks"]);
  });

  it("validate requires displayName and accessPackage and refuses a subject set without its type, naming file and line", async () => {
    writeDoc(repo, { kind: "accessPackageAssignmentPolicy", name: "broken", spec: { description: "nameless", specificAllowedTargets: [{ userId: `user:${ALICE}` }] } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/accessPackageAssignmentPolicy\/broken\.yaml:\d+:\d+/);
    expect(text).toContain("displayName");
    expect(text).toContain("accessPackage");
    expect(text).toContain("specificAllowedTargets");
    removeDoc(repo, "accessPackageAssignmentPolicy", "broken");
  });

  it("sandbox: no package, PATCH, an unknown user, approval without stages, a typeless subject set, moving the policy → refused", async () => {
    const base = { displayName: "X", accessPackage: { id: packageId } };
    await expect(client.api(POLICIES).post({ displayName: "X" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(POLICIES).post({ ...base, specificAllowedTargets: [{ "@odata.type": "#microsoft.graph.singleUser", userId: "00000000-0000-0000-0000-0000000000bb" }] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(POLICIES).post({ ...base, requestApprovalSettings: { isApprovalRequiredForAdd: true, stages: [] } })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(POLICIES).post({ ...base, specificAllowedTargets: [{ userId: aliceId }] })).rejects.toMatchObject({ statusCode: 400 });
    const asks = await findByName(client, POLICIES, "Finance asks");
    await expect(client.api(`${POLICIES}/${String(asks.id)}`).patch({ description: "patched" })).rejects.toMatchObject({ statusCode: 405 });
    const other = (await client.api(`${EM}/accessPackages`).post({ displayName: "Other", catalog: { id: String((await findByName(client, `${EM}/catalogs`, "Sales")).id) } })) as { id: string };
    await expect(client.api(`${POLICIES}/${String(asks.id)}`).put({ displayName: "Finance asks", accessPackage: { id: other.id } })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${EM}/accessPackages/${packageId}`).delete()).rejects.toMatchObject({ statusCode: 400 });
  });
});
