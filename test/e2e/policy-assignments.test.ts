/**
 * Where STS and app management policies are assigned (README "Policy assignments"): the `appliesTo`
 * of token lifetime, token issuance, claims mapping, home realm discovery and app management
 * policy documents, read from `GET /policies/<type>/{id}/appliesTo` and written from the target's
 * side (`POST /applications/{id}/tokenLifetimePolicies/$ref`, …). Through the CLI against the
 * sandbox: export shows an assignment made in the portal by name → plan empty → add → apply → plan
 * empty → remove → apply → plan empty; a new policy with its assignment in one apply; two documents
 * giving one application two token lifetime policies refused at validate and plan; sync commits an
 * assignment made in the portal; the sandbox's refusals; one home realm discovery policy per service
 * principal (the sandbox and validate), several claims mapping policies.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { catchUpAuditLog, credentialFor, graphClient, startSandbox } from "../helpers/sandbox.js";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import { git, runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";
import { withDocumentSeed } from "../../src/cli/sandbox.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { asUser } from "../helpers/actors.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const KINDS = ["application", "servicePrincipal", "tokenLifetimePolicy", "tokenIssuancePolicy", "claimsMappingPolicy", "homeRealmDiscoveryPolicy", "appManagementPolicy"];
const TLP = '{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"8:00:00"}}';
const CLAIMS = '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true"}}';
const SAML = '{"TokenIssuancePolicy":{"Version":1,"SamlTokenVersion":"2.0"}}';

const DANA = "dana.kim@contoso.onmicrosoft.com";

type Live = { value: Record<string, unknown>[] };

describe("policy assignments (appliesTo of STS and app management policies)", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  let app: { id: string; appId: string };
  let sp: { id: string };
  let tlp: { id: string };
  let appDoc: string;
  let spDoc: string;
  const odataId = (path: string): string => `https://graph.microsoft.com/v1.0${path}`;

  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    app = (await client.api("/applications").post({ displayName: "Payroll Portal" })) as { id: string; appId: string };
    sp = (await client.api("/servicePrincipals").post({ appId: app.appId })) as { id: string };
    tlp = (await client.api("/policies/tokenLifetimePolicies").post({ displayName: "Eight hours", definition: [TLP] })) as { id: string };
    const claims = (await client.api("/policies/claimsMappingPolicies").post({ displayName: "Employee id claims", definition: [CLAIMS] })) as { id: string };
    await client.api("/policies/appManagementPolicies").post({ displayName: "No passwords", restrictions: { passwordCredentials: [{ restrictionType: "passwordAddition", maxLifetime: null }] } });
    // Assigned "in the portal", before the first export.
    await client.api(`/applications/${app.id}/tokenLifetimePolicies/$ref`).post({ "@odata.id": odataId(`/policies/tokenLifetimePolicies/${tlp.id}`) });
    await client.api(`/servicePrincipals/${sp.id}/claimsMappingPolicies/$ref`).post({ "@odata.id": odataId(`/policies/claimsMappingPolicies/${claims.id}`) });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: KINDS });
    const named = (kind: string): string => {
      const files = readdirSync(join(repo.dir, "tenant-config", kind)).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -5));
      const found = files.find((name) => readDoc(repo, kind, name).spec.displayName === "Payroll Portal" || readDoc(repo, kind, name).spec.appId === app.appId);
      if (!found) throw new Error(`no ${kind} document for Payroll Portal`);
      return found;
    };
    appDoc = named("application");
    spDoc = named("servicePrincipal");
  });
  afterAll(async () => started?.stop());

  it("exports the assignments by name on the policy documents, and plans empty", async () => {
    expect(readDoc(repo, "tokenLifetimePolicy", "eight-hours").spec.appliesTo).toEqual([`application:${appDoc}`]);
    expect(readDoc(repo, "claimsMappingPolicy", "employee-id-claims").spec.appliesTo).toEqual([`servicePrincipal:${spDoc}`]);
    expect(readDoc(repo, "appManagementPolicy", "no-passwords").spec.appliesTo).toBeUndefined();
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("adds assignments on both sides, and a new policy with its assignment, in one apply", async () => {
    editSpec(repo, "tokenLifetimePolicy", "eight-hours", (spec) => {
      spec.appliesTo = [`application:${appDoc}`, `servicePrincipal:${spDoc}`];
    });
    editSpec(repo, "appManagementPolicy", "no-passwords", (spec) => {
      spec.appliesTo = [`application:${appDoc}`];
    });
    writeDoc(repo, { kind: "tokenIssuancePolicy", name: "saml-2", spec: { displayName: "SAML 2", definition: [SAML], appliesTo: [`application:${appDoc}`] } });
    commit(repo, "assign the policies");
    const plan = await repo.cli("plan");
    expect(plan.stdout).toContain(`+ servicePrincipal:${spDoc}`);
    const out = await applyConverges(repo);
    expect(out).toContain("updated tokenLifetimePolicy/eight-hours");
    expect(out).toContain("created tokenIssuancePolicy/saml-2");
    const onSp = (await client.api(`/servicePrincipals/${sp.id}/tokenLifetimePolicies`).get()) as Live;
    expect(onSp.value.map((p) => p.id)).toEqual([tlp.id]);
    const issuance = (await client.api(`/applications/${app.id}/tokenIssuancePolicies`).get()) as Live;
    expect(issuance.value.map((p) => p.displayName)).toEqual(["SAML 2"]);
    const management = (await client.api(`/applications/${app.id}/appManagementPolicies`).get()) as Live;
    expect(management.value.map((p) => p.displayName)).toEqual(["No passwords"]);
  });

  it("removes assignments the documents drop, leaving the policies", async () => {
    editSpec(repo, "tokenLifetimePolicy", "eight-hours", (spec) => {
      delete spec.appliesTo;
    });
    editSpec(repo, "appManagementPolicy", "no-passwords", (spec) => {
      delete spec.appliesTo;
    });
    commit(repo, "unassign");
    await applyConverges(repo);
    expect(((await client.api(`/applications/${app.id}/tokenLifetimePolicies`).get()) as Live).value).toEqual([]);
    expect(((await client.api(`/servicePrincipals/${sp.id}/tokenLifetimePolicies`).get()) as Live).value).toEqual([]);
    expect(((await client.api(`/policies/appManagementPolicies`).get()) as Live).value.map((p) => p.displayName)).toContain("No passwords");
    expect(((await client.api(`/policies/tokenLifetimePolicies/${tlp.id}/appliesTo`).get()) as Live).value).toEqual([]);
  });

  it("refuses at validate and plan two token lifetime policies for one application, naming file, line and field", async () => {
    editSpec(repo, "tokenLifetimePolicy", "eight-hours", (spec) => {
      spec.appliesTo = [`application:${appDoc}`];
    });
    writeDoc(repo, { kind: "tokenLifetimePolicy", name: "four-hours", spec: { displayName: "Four hours", definition: [TLP.replace("8:00", "4:00")], appliesTo: [`application:${appDoc}`] } });
    for (const command of ["validate", "plan"]) {
      const result = await repo.cli(command);
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).toMatch(
        new RegExp(`tenant-config/tokenLifetimePolicy/(four|eight)-hours\\.yaml:\\d+:\\d+: error: spec\\.appliesTo\\[0\\]: application:${appDoc} is in the appliesTo of tokenLifetimePolicy/(four|eight)-hours too`),
      );
    }
    removeDoc(repo, "tokenLifetimePolicy", "four-hours");
    editSpec(repo, "tokenLifetimePolicy", "eight-hours", (spec) => {
      delete spec.appliesTo;
    });
  });

  it("sync commits an assignment made in the portal to the policy's document, as the person who made it", async () => {
    // Dana, an Application Administrator, in the portal.
    await asUser(started, DANA).api(`/applications/${app.id}/tokenLifetimePolicies/$ref`).post({ "@odata.id": odataId(`/policies/tokenLifetimePolicies/${tlp.id}`) });
    catchUpAuditLog(started.sandbox);
    const synced = await repo.cli("sync");
    expect(synced.code, synced.stdout + synced.stderr).toBe(0);
    expect(readDoc(repo, "tokenLifetimePolicy", "eight-hours").spec.appliesTo).toEqual([`application:${appDoc}`]);
    // The drift commit (the bot's id-map commit for saml-2 may follow it).
    expect(git(repo.dir, "log", "-3", "--name-only", "--format=%s")).toContain("tokenLifetimePolicy/eight-hours.yaml");
    // Attributed from the audit log's "Add policy to application" entry, not committed as the bot's.
    const author = git(repo.dir, "log", "-1", "--format=%ae", "--", "tenant-config/tokenLifetimePolicy/eight-hours.yaml");
    expect(author.trim()).toBe(DANA);
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("sandbox: one token lifetime and one app management policy per object, each type only where Graph takes it, appliesTo read-only", async () => {
    const second = (await client.api("/policies/tokenLifetimePolicies").post({ displayName: "Second", definition: [TLP] })) as { id: string };
    await expect(client.api(`/applications/${app.id}/tokenLifetimePolicies/$ref`).post({ "@odata.id": odataId(`/policies/tokenLifetimePolicies/${second.id}`) })).rejects.toMatchObject({ statusCode: 400, code: "Request_MultipleObjectsWithSameKeyValue" });
    // The same policy twice: Graph's "already exist".
    await expect(client.api(`/applications/${app.id}/tokenLifetimePolicies/$ref`).post({ "@odata.id": odataId(`/policies/tokenLifetimePolicies/${tlp.id}`) })).rejects.toMatchObject({ statusCode: 400 });
    // A claims mapping policy goes on service principals only; an id of another type is not found.
    await expect(client.api(`/applications/${app.id}/claimsMappingPolicies/$ref`).post({ "@odata.id": odataId(`/policies/tokenLifetimePolicies/${second.id}`) })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`/servicePrincipals/${sp.id}/homeRealmDiscoveryPolicies/$ref`).post({ "@odata.id": odataId(`/policies/tokenLifetimePolicies/${second.id}`) })).rejects.toMatchObject({ statusCode: 400, message: expect.stringMatching(/does not exist/) });
    await expect(client.api(`/policies/tokenLifetimePolicies/${tlp.id}/appliesTo/$ref`).post({ "@odata.id": odataId(`/applications/${app.id}`) })).rejects.toMatchObject({ statusCode: 400 });
    const appliesTo = (await client.api(`/policies/tokenLifetimePolicies/${tlp.id}/appliesTo`).get()) as Live;
    expect(appliesTo.value).toMatchObject([{ "@odata.type": "#microsoft.graph.application", id: app.id }]);
    // Unassigning what is not assigned: 404.
    await expect(client.api(`/applications/${app.id}/tokenLifetimePolicies/${second.id}/$ref`).delete()).rejects.toMatchObject({ statusCode: 404 });

    // appliesTo needs Application.Read.All beside Policy.Read.All; assigning an STS policy, Application.ReadWrite.All.
    const seed = (started.sandbox.tenant as SandboxTenant).seedApi();
    const appId = randomUUID();
    const secret = `policy-reader-${randomUUID()}`;
    seed.create("applications", { displayName: "policy-reader", appId });
    seed.addClientSecret(appId, secret, "test");
    seed.grantAppRoles(appId, ["Policy.Read.All", "Policy.ReadWrite.ApplicationConfiguration"]);
    const reader = graphClient(started.sandbox, credentialFor(started.sandbox, appId, secret));
    await expect(reader.api(`/policies/tokenLifetimePolicies/${tlp.id}/appliesTo`).get()).rejects.toMatchObject({ statusCode: 403 });
    await expect(reader.api(`/applications/${app.id}/tokenLifetimePolicies/${tlp.id}/$ref`).delete()).rejects.toMatchObject({ statusCode: 403 });
    expect(((await reader.api(`/policies/tokenLifetimePolicies/${tlp.id}`).get()) as { id: string }).id).toBe(tlp.id);
  });

  it("moves an application to another token lifetime policy in one apply", async () => {
    editSpec(repo, "tokenLifetimePolicy", "eight-hours", (spec) => {
      delete spec.appliesTo;
    });
    writeDoc(repo, { kind: "tokenLifetimePolicy", name: "four-hours", spec: { displayName: "Four hours", definition: [TLP.replace("8:00", "4:00")], appliesTo: [`application:${appDoc}`] } });
    commit(repo, "four hours for payroll");
    await applyConverges(repo, "--allow-delete");
    const assigned = (await client.api(`/applications/${app.id}/tokenLifetimePolicies`).get()) as Live;
    expect(assigned.value.map((p) => p.displayName)).toEqual(["Four hours"]);
  });

  it("moves an application to another token lifetime policy while deleting the one it had, in one apply", async () => {
    removeDoc(repo, "tokenLifetimePolicy", "four-hours");
    editSpec(repo, "tokenLifetimePolicy", "eight-hours", (spec) => {
      spec.appliesTo = [`application:${appDoc}`];
    });
    commit(repo, "back to eight hours; four hours goes");
    // The delete runs after every update: the assignment it holds is released for the new one.
    const out = await applyConverges(repo, "--allow-delete");
    expect(out).toContain("deleted tokenLifetimePolicy/four-hours");
    const assigned = (await client.api(`/applications/${app.id}/tokenLifetimePolicies`).get()) as Live;
    expect(assigned.value.map((p) => p.id)).toEqual([tlp.id]);
    // Put four hours back as the later tests expect it.
    removeDoc(repo, "tokenLifetimePolicy", "eight-hours");
    writeDoc(repo, { kind: "tokenLifetimePolicy", name: "eight-hours", spec: { displayName: "Eight hours", definition: [TLP] } });
    writeDoc(repo, { kind: "tokenLifetimePolicy", name: "four-hours", spec: { displayName: "Four hours", definition: [TLP.replace("8:00", "4:00")], appliesTo: [`application:${appDoc}`] } });
    commit(repo, "four hours again");
    await applyConverges(repo, "--allow-delete");
  });

  it("with applications and service principals out of scope, assigns targets named by GUID, found by their type", async () => {
    const other = (await client.api("/applications").post({ displayName: "Expenses" })) as { id: string; appId: string };
    const otherSp = (await client.api("/servicePrincipals").post({ appId: other.appId })) as { id: string };
    const narrow = await exportedRepo(sandboxEnv(started.sandbox), { kinds: ["tokenLifetimePolicy"] });
    // Out of scope, the targets stay GUIDs (with their display name as a comment).
    expect(readDoc(narrow, "tokenLifetimePolicy", "four-hours").spec.appliesTo).toEqual([app.id]);
    editSpec(narrow, "tokenLifetimePolicy", "eight-hours", (spec) => {
      spec.appliesTo = [other.id, otherSp.id];
    });
    commit(narrow, "eight hours for expenses, by id");
    await applyConverges(narrow);
    expect(((await client.api(`/applications/${other.id}/tokenLifetimePolicies`).get()) as Live).value.map((p) => p.id)).toEqual([tlp.id]);
    expect(((await client.api(`/servicePrincipals/${otherSp.id}/tokenLifetimePolicies`).get()) as Live).value.map((p) => p.id)).toEqual([tlp.id]);
  });

  it("refuses at plan a document naming a target that a kept policy without a document holds (no prune)", async () => {
    const narrow = await exportedRepo(sandboxEnv(started.sandbox), { kinds: ["tokenLifetimePolicy"] });
    writeFileSync(narrow.configFile, readFileSync(narrow.configFile, "utf8").replace(/^prune: true$/m, "prune: false"));
    const third = (await client.api("/applications").post({ displayName: "Timesheets" })) as { id: string };
    const portal = (await client.api("/policies/tokenLifetimePolicies").post({ displayName: "Made in the portal", definition: [TLP] })) as { id: string };
    await client.api(`/applications/${third.id}/tokenLifetimePolicies/$ref`).post({ "@odata.id": odataId(`/policies/tokenLifetimePolicies/${portal.id}`) });
    editSpec(narrow, "tokenLifetimePolicy", "four-hours", (spec) => {
      spec.appliesTo = [app.id, third.id];
    });
    commit(narrow, "four hours for timesheets too");
    const plan = await narrow.cli("plan");
    expect(plan.code, plan.stdout + plan.stderr).toBe(1);
    // The index is the one in the normalized document (GUIDs sorted).
    expect(plan.stdout + plan.stderr).toMatch(
      new RegExp(`error: tokenLifetimePolicy/four-hours: spec\\.appliesTo\\[[01]\\]: ${third.id} is assigned tokenLifetimePolicy/made-in-the-portal in the tenant, which has no document and is kept \\(no prune\\)`),
    );
  });

  it("one home realm discovery policy per service principal: the sandbox refuses a second, validate two documents; claims mapping policies are not limited", async () => {
    const HRD = '{"HomeRealmDiscoveryPolicy":{"AccelerateToFederatedDomain":true}}';
    const first = (await client.api("/policies/homeRealmDiscoveryPolicies").post({ displayName: "Accelerate", definition: [HRD] })) as { id: string };
    const second = (await client.api("/policies/homeRealmDiscoveryPolicies").post({ displayName: "Accelerate too", definition: [HRD] })) as { id: string };
    await client.api(`/servicePrincipals/${sp.id}/homeRealmDiscoveryPolicies/$ref`).post({ "@odata.id": odataId(`/policies/homeRealmDiscoveryPolicies/${first.id}`) });
    await expect(client.api(`/servicePrincipals/${sp.id}/homeRealmDiscoveryPolicies/$ref`).post({ "@odata.id": odataId(`/policies/homeRealmDiscoveryPolicies/${second.id}`) })).rejects.toMatchObject({ statusCode: 400, code: "Request_MultipleObjectsWithSameKeyValue" });
    expect(((await client.api(`/servicePrincipals/${sp.id}/homeRealmDiscoveryPolicies`).get()) as Live).value.map((p) => p.id)).toEqual([first.id]);
    // A second claims mapping policy on the service principal that has one: Graph documents no limit.
    const more = (await client.api("/policies/claimsMappingPolicies").post({ displayName: "More claims", definition: [CLAIMS] })) as { id: string };
    await client.api(`/servicePrincipals/${sp.id}/claimsMappingPolicies/$ref`).post({ "@odata.id": odataId(`/policies/claimsMappingPolicies/${more.id}`) });
    expect(((await client.api(`/servicePrincipals/${sp.id}/claimsMappingPolicies`).get()) as Live).value).toHaveLength(2);

    writeDoc(repo, { kind: "homeRealmDiscoveryPolicy", name: "one", spec: { displayName: "One", definition: [HRD], appliesTo: [`servicePrincipal:${spDoc}`] } });
    writeDoc(repo, { kind: "homeRealmDiscoveryPolicy", name: "two", spec: { displayName: "Two", definition: [HRD], appliesTo: [`servicePrincipal:${spDoc}`] } });
    commit(repo, "two HRD policies for one service principal");
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    expect(validated.stdout + validated.stderr).toMatch(new RegExp(`tenant-config/homeRealmDiscoveryPolicy/(one|two)\\.yaml:\\d+:\\d+: error: spec\\.appliesTo\\[0\\]: servicePrincipal:${spDoc} is in the appliesTo of homeRealmDiscoveryPolicy/(one|two) too`));
    removeDoc(repo, "homeRealmDiscoveryPolicy", "one");
    removeDoc(repo, "homeRealmDiscoveryPolicy", "two");
    commit(repo, "no HRD documents");
  });
});

describe("sandbox --seed <configuration repository> with policy assignments", () => {
  let seeded: StartedSandbox | undefined;
  const dirs: string[] = [];
  afterAll(async () => {
    await seeded?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("assigns each seeded policy from its targets' side, and the plan against the rehearsal is empty", { timeout: 60_000 }, async () => {
    const { dir, configFile } = tempRepo(["configDir: tenant-config", "kinds: [application, servicePrincipal, tokenLifetimePolicy, claimsMappingPolicy]", ""].join("\n"));
    dirs.push(dir);
    const documents: Record<string, string> = {
      "application/payroll.yaml": "kind: application\nname: payroll\nspec:\n  displayName: Payroll\n  signInAudience: AzureADMyOrg\n",
      "servicePrincipal/payroll.yaml": "kind: servicePrincipal\nname: payroll\nspec:\n  appId: application:payroll\n  displayName: Payroll\n",
      "tokenLifetimePolicy/eight-hours.yaml": `kind: tokenLifetimePolicy\nname: eight-hours\nspec:\n  appliesTo:\n    - application:payroll\n    - servicePrincipal:payroll\n  definition:\n    - '${TLP}'\n  displayName: Eight hours\n`,
      "claimsMappingPolicy/employee-id.yaml": `kind: claimsMappingPolicy\nname: employee-id\nspec:\n  appliesTo:\n    - servicePrincipal:payroll\n  definition:\n    - '${CLAIMS}'\n  displayName: Employee id\n`,
    };
    for (const [path, text] of Object.entries(documents)) {
      mkdirSync(dirname(join(dir, "tenant-config", path)), { recursive: true });
      writeFileSync(join(dir, "tenant-config", path), text);
    }
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Configuration");
    seeded = await startSandbox(await withDocumentSeed({ seed: { dir } }, undefined, () => undefined));
    expect(seeded.sandbox.seedReport.failures, JSON.stringify(seeded.sandbox.seedReport.failures)).toEqual([]);
    const plan = await runCli(["--config", configFile, "plan", "--detailed-exitcode"], sandboxEnv(seeded.sandbox));
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    const policies = (await seeded.client.api("/policies/tokenLifetimePolicies").get()) as Live;
    const appliesTo = (await seeded.client.api(`/policies/tokenLifetimePolicies/${String(policies.value[0]?.id)}/appliesTo`).get()) as Live;
    expect(appliesTo.value.map((o) => o["@odata.type"]).sort()).toEqual(["#microsoft.graph.application", "#microsoft.graph.servicePrincipal"]);
  });
});
