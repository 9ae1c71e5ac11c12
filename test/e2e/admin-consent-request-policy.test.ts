/**
 * Admin consent request policy (`adminConsentRequestPolicy`, `/policies/adminConsentRequestPolicy`):
 * a singleton Graph reads by GET and writes by PUT of the whole object. Export → plan empty → turn
 * it on with user, group and role reviewers → apply → plan empty; a property left out of the
 * document keeps the tenant's value (PUT carries it); the sandbox refuses PATCH and partial PUTs.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { applyConverges, commit, demoRepo, editSpec, readDoc, removeDoc } from "./apply-fixture.js";
import type { ExportedRepo } from "./apply-fixture.js";

const PATH = "/policies/adminConsentRequestPolicy";
const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";

interface Policy {
  isEnabled: boolean;
  notifyReviewers: boolean;
  remindersEnabled: boolean;
  requestDurationInDays: number;
  version: number;
  reviewers: { query: string; queryType?: string }[];
}

describe("adminConsentRequestPolicy: exported, planned and applied (PUT)", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  beforeAll(async () => {
    ({ started, repo, client } = await demoRepo());
  });
  afterAll(async () => started?.stop());

  it("is exported as one document (off, no reviewers) and plans empty", async () => {
    expect(readDoc(repo, "adminConsentRequestPolicy", "default").spec).toEqual({
      isEnabled: false,
      notifyReviewers: false,
      remindersEnabled: false,
      requestDurationInDays: 0,
    });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("turns the workflow on with a user, a group's members and a role's holders as reviewers", async () => {
    const user = (await client.api("/users").top(1).select("id,userPrincipalName").get()) as { value: { id: string; userPrincipalName: string }[] };
    const alice = user.value[0];
    if (!alice) throw new Error("the demo tenant has no user");
    const groups = (await client.api("/groups").filter("displayName eq 'sg-ca-pilot-users'").select("id").get()) as { value: { id: string }[] };
    const pilot = groups.value[0];
    if (!pilot) throw new Error("the demo tenant has no sg-ca-pilot-users group");

    editSpec(repo, "adminConsentRequestPolicy", "default", (spec) => {
      spec.isEnabled = true;
      spec.notifyReviewers = true;
      spec.remindersEnabled = true;
      spec.requestDurationInDays = 14;
      spec.reviewers = [
        { query: `user:${alice.userPrincipalName}`, queryType: "MicrosoftGraph" },
        { query: "group:sg-ca-pilot-users", queryType: "MicrosoftGraph" },
        { query: "role:Global Administrator", queryType: "MicrosoftGraph" },
      ];
    });
    commit(repo, "admin consent workflow on");
    expect(await applyConverges(repo)).toContain("updated adminConsentRequestPolicy/default");

    const live = (await client.api(PATH).get()) as Policy;
    expect(live).toMatchObject({ isEnabled: true, notifyReviewers: true, remindersEnabled: true, requestDurationInDays: 14, version: 1 });
    expect(live.reviewers.map((r) => r.query)).toEqual([
      `/users/${alice.id}`,
      `/groups/${pilot.id}/transitiveMembers/microsoft.graph.user`,
      `/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${GLOBAL_ADMINISTRATOR}'`,
    ]);
  });

  it("keeps the tenant's value of a property the document leaves out: the PUT carries it", async () => {
    editSpec(repo, "adminConsentRequestPolicy", "default", (spec) => {
      delete spec.remindersEnabled;
      spec.requestDurationInDays = 30;
      spec.reviewers = (spec.reviewers as { query: string }[]).filter((r) => !r.query.startsWith("role:"));
    });
    commit(repo, "30 days, no role reviewers, reminders left to the tenant");
    expect(await applyConverges(repo)).toContain("updated adminConsentRequestPolicy/default");
    const live = (await client.api(PATH).get()) as Policy;
    expect(live).toMatchObject({ isEnabled: true, remindersEnabled: true, requestDurationInDays: 30, version: 2 });
    expect(live.reviewers).toHaveLength(2);
  });

  it("names the file, line and field of a reviewer that names no group, and writes nothing", async () => {
    const before = (await client.api(PATH).get()) as Policy;
    editSpec(repo, "adminConsentRequestPolicy", "default", (spec) => {
      spec.reviewers = [...(spec.reviewers as object[]), { query: "group:no-such-group", queryType: "MicrosoftGraph" }];
    });
    commit(repo, "a reviewer group that does not exist");
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    expect(validated.stderr).toMatch(/adminConsentRequestPolicy[/\\]default\.yaml:\d+:\d+.*spec\.reviewers\[2\]\.query.*group:no-such-group/);
    const applied = await repo.cli("apply", "--auto-approve");
    expect(applied.code).not.toBe(0);
    expect(((await client.api(PATH).get()) as Policy).version).toBe(before.version);
  });

  it("is never deleted: removing its document proposes nothing", async () => {
    removeDoc(repo, "adminConsentRequestPolicy", "default");
    commit(repo, "drop the document");
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("sandbox: no PATCH; a PUT needs every property of its type; version is read-only", async () => {
    await expect(client.api(PATH).patch({ isEnabled: false })).rejects.toMatchObject({ statusCode: 405 });
    await expect(client.api(PATH).put({ isEnabled: false })).rejects.toMatchObject({ statusCode: 400 });
    const whole = { isEnabled: false, notifyReviewers: false, remindersEnabled: false, requestDurationInDays: 7, reviewers: [] };
    await expect(client.api(PATH).put({ ...whole, requestDurationInDays: "7" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(PATH).put({ ...whole, reviewers: [{ queryType: "MicrosoftGraph" }] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(PATH).put({ ...whole, version: 9 })).rejects.toMatchObject({ statusCode: 400 });
    expect(((await client.api(PATH).get()) as Policy).requestDurationInDays).toBe(30);
    await client.api(PATH).put(whole);
    expect(((await client.api(PATH).get()) as Policy).requestDurationInDays).toBe(7);
  });
});
