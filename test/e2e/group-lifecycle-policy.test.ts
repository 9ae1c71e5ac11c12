/**
 * The group lifecycle (expiration) policy through the CLI against the sandbox: export → plan empty →
 * lifetime edited → apply → plan empty → deleted → plan empty → created from the document again →
 * plan empty; the sandbox refuses what Graph refuses (a second policy, a bad managedGroupTypes).
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const NAME = "group-expiration";
type Policies = { value: Record<string, unknown>[] };

describe("groupLifecyclePolicy: the expiration policy of Microsoft 365 groups", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    await client.api("/groupLifecyclePolicies").post({ groupLifetimeInDays: 180, managedGroupTypes: "All", alternateNotificationEmails: "admin@contoso.com" });
    repo = await exportedRepo(sandboxEnv(started.sandbox));
  });
  afterAll(async () => started?.stop());

  it("exports the policy and plans empty", async () => {
    expect(readDoc(repo, "groupLifecyclePolicy", NAME).spec).toEqual({ groupLifetimeInDays: 180, managedGroupTypes: "All", alternateNotificationEmails: "admin@contoso.com" });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("updates, deletes and creates the policy through apply, each followed by an empty plan", async () => {
    editSpec(repo, "groupLifecyclePolicy", NAME, (spec) => {
      spec.groupLifetimeInDays = 365;
      spec.alternateNotificationEmails = "admin@contoso.com; it@contoso.com";
    });
    commit(repo, "longer lifetime");
    expect(await applyConverges(repo)).toContain(`updated groupLifecyclePolicy/${NAME}`);
    expect(((await client.api("/groupLifecyclePolicies").get()) as Policies).value).toMatchObject([{ groupLifetimeInDays: 365, managedGroupTypes: "All", alternateNotificationEmails: "admin@contoso.com;it@contoso.com" }]);

    const spec = readDoc(repo, "groupLifecyclePolicy", NAME).spec;
    removeDoc(repo, "groupLifecyclePolicy", NAME);
    commit(repo, "no expiration");
    expect(await applyConverges(repo, "--allow-delete")).toContain(`deleted groupLifecyclePolicy/${NAME}`);
    expect(((await client.api("/groupLifecyclePolicies").get()) as Policies).value).toEqual([]);

    writeDoc(repo, { kind: "groupLifecyclePolicy", name: NAME, spec: { ...spec, managedGroupTypes: "None" } });
    commit(repo, "expiration again, off");
    expect(await applyConverges(repo)).toContain(`created groupLifecyclePolicy/${NAME}`);
    expect(((await client.api("/groupLifecyclePolicies").get()) as Policies).value).toMatchObject([{ groupLifetimeInDays: 365, managedGroupTypes: "None" }]);
  });

  it("validate requires groupLifetimeInDays and managedGroupTypes, naming file and line", async () => {
    writeDoc(repo, { kind: "groupLifecyclePolicy", name: "broken", spec: { alternateNotificationEmails: "x@contoso.com" } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/groupLifecyclePolicy\/broken\.yaml:\d+:\d+/);
    expect(text).toContain("groupLifetimeInDays");
    expect(text).toContain("managedGroupTypes");
    removeDoc(repo, "groupLifecyclePolicy", "broken");
  });

  it("sandbox: a second policy, an unknown managedGroupTypes or a non-positive lifetime is refused", async () => {
    await expect(client.api("/groupLifecyclePolicies").post({ groupLifetimeInDays: 90, managedGroupTypes: "All" })).rejects.toMatchObject({ statusCode: 409 });
    const id = String(((await client.api("/groupLifecyclePolicies").get()) as Policies).value[0]?.id);
    await expect(client.api(`/groupLifecyclePolicies/${id}`).patch({ managedGroupTypes: "Some" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`/groupLifecyclePolicies/${id}`).patch({ groupLifetimeInDays: 0 })).rejects.toMatchObject({ statusCode: 400 });
  });
});
