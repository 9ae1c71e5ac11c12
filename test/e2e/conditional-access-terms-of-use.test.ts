/**
 * Conditional Access policies name terms of use by name (`agreement:<name>` in
 * `grantControls.termsOfUse`) when the opt-in `agreement` kind is in scope, through the CLI against
 * the sandbox: export writes names → plan empty; a document still holding the GUID plans empty and
 * export rewrites it; a new agreement and a new policy requiring it by name are created in one
 * apply; an unknown GUID stops the plan; without the kind in scope the GUID stays and plans empty,
 * and a name without its document is an error at its file, line and field; the sandbox refuses an unknown agreement id.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultKindNames } from "../../src/model/kind.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { idOf } from "../helpers/actors.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, findByName, readDoc, writeDoc } from "./apply-fixture.js";

const AGREEMENTS = "/identityGovernance/termsOfUse/agreements";
const POLICIES = "/identity/conditionalAccess/policies";
const PDF = Buffer.from("%PDF-1.4\n% terms\n%%EOF\n", "latin1");
const POLICY = "ca-t01-guests-accept-terms";

describe("conditionalAccessPolicy: terms of use by name", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  let agreementId = "";
  let groupId = "";
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    agreementId = String(((await client.api(AGREEMENTS).post({ displayName: "Contoso guests", isViewingBeforeAcceptanceRequired: true, files: [{ fileName: "guests.pdf", language: "en-US", isDefault: true, fileData: { data: PDF.toString("base64") } }] })) as { id: string }).id);
    groupId = await idOf(client, "/groups", "SG-App-Payroll-Users");
    await client.api(POLICIES).post({
      displayName: "CA-T01-Guests-Accept-Terms",
      state: "enabledForReportingButNotEnforced",
      conditions: { users: { includeGroups: [groupId] }, applications: { includeApplications: ["All"] }, clientAppTypes: ["all"] },
      grantControls: { operator: "OR", termsOfUse: [agreementId] },
    });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: [...defaultKindNames(), "agreement"] });
  });
  afterAll(async () => started?.stop());

  it("exports the policy's terms of use by name and plans empty", async () => {
    expect(readDoc(repo, "conditionalAccessPolicy", POLICY).spec.grantControls).toEqual({ operator: "OR", termsOfUse: ["agreement:contoso-guests"] });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("a document still holding the agreement's GUID plans empty, and export writes the name", async () => {
    editSpec(repo, "conditionalAccessPolicy", POLICY, (spec) => void ((spec.grantControls as Record<string, unknown>).termsOfUse = [agreementId]));
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    const exported = await repo.cli("export");
    expect(exported.code, exported.stderr).toBe(0);
    expect(readDoc(repo, "conditionalAccessPolicy", POLICY).spec.grantControls).toEqual({ operator: "OR", termsOfUse: ["agreement:contoso-guests"] });
  });

  it("an agreement GUID that names no agreement stops the plan, with file, line and field", async () => {
    const unknown = randomUUID();
    editSpec(repo, "conditionalAccessPolicy", POLICY, (spec) => void ((spec.grantControls as Record<string, unknown>).termsOfUse = [unknown]));
    const plan = await repo.cli("plan");
    expect(plan.code).toBe(1);
    expect(plan.stdout + plan.stderr).toMatch(new RegExp(`tenant-config/conditionalAccessPolicy/${POLICY}\\.yaml:\\d+:\\d+: error: spec\\.grantControls\\.termsOfUse\\[0\\]: ${unknown} does not exist in the tenant`));
    editSpec(repo, "conditionalAccessPolicy", POLICY, (spec) => void ((spec.grantControls as Record<string, unknown>).termsOfUse = ["agreement:contoso-guests"]));
  });

  it("creates an agreement and a policy requiring it by name in one apply; the policy holds the new agreement's id", async () => {
    writeDoc(repo, { kind: "agreement", name: "partners", spec: { displayName: "Partners", isViewingBeforeAcceptanceRequired: true, files: [{ fileName: "partners.pdf", language: "en-US", isDefault: true }] } });
    writeFileSync(join(repo.dir, "tenant-config", "agreement", "partners.en-US.pdf"), PDF);
    writeDoc(repo, {
      kind: "conditionalAccessPolicy",
      name: "ca-t02-partners-accept-terms",
      spec: {
        displayName: "CA-T02-Partners-Accept-Terms",
        state: "enabledForReportingButNotEnforced",
        conditions: { users: { includeGroups: ["group:sg-app-payroll-users"] }, applications: { includeApplications: ["All"] }, clientAppTypes: ["all"] },
        grantControls: { operator: "OR", termsOfUse: ["agreement:partners"] },
      },
    });
    commit(repo, "partners terms and the policy requiring them");
    const applied = await applyConverges(repo);
    expect(applied).toContain("created agreement/partners");
    expect(applied).toContain("created conditionalAccessPolicy/ca-t02-partners-accept-terms");
    const partners = await findByName(client, AGREEMENTS, "Partners");
    const policy = await findByName(client, POLICIES, "CA-T02-Partners-Accept-Terms");
    expect((policy.grantControls as Record<string, unknown>).termsOfUse).toEqual([partners.id]);
  });

  it("without the agreement kind in scope the GUID stays and plans empty; a name without its document is an error at its file, line and field", async () => {
    const plain = await exportedRepo(sandboxEnv(started.sandbox));
    expect(readDoc(plain, "conditionalAccessPolicy", POLICY).spec.grantControls).toEqual({ operator: "OR", termsOfUse: [agreementId] });
    const plan = await plain.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    editSpec(plain, "conditionalAccessPolicy", POLICY, (spec) => void ((spec.grantControls as Record<string, unknown>).termsOfUse = ["agreement:contoso-guests"]));
    const named = await plain.cli("plan");
    expect(named.code).toBe(1);
    expect(named.stdout + named.stderr).toMatch(new RegExp(`${POLICY}\\.yaml:\\d+:\\d+: error: spec\\.grantControls\\.termsOfUse\\[0\\]: agreement:contoso-guests: no document agreement/contoso-guests\\.yaml`));
  });

  it("sandbox: a policy naming an agreement id that does not exist → 400", async () => {
    await expect(
      client.api(POLICIES).post({
        displayName: "CA-T03-Unknown-Terms",
        state: "enabledForReportingButNotEnforced",
        conditions: { users: { includeGroups: [groupId] }, applications: { includeApplications: ["All"] }, clientAppTypes: ["all"] },
        grantControls: { operator: "OR", termsOfUse: [randomUUID()] },
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });
});
