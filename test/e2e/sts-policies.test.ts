/**
 * Token lifetime, home realm discovery, claims mapping, token issuance and activity-based timeout
 * policies (the `stsPolicy` kinds), each
 * through the CLI against the sandbox: export → plan empty → edit → apply → plan empty → create →
 * delete; the sandbox refuses what Graph's create pages require (displayName, definition).
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const KINDS = [
  { kind: "tokenLifetimePolicy", path: "/policies/tokenLifetimePolicies", definition: '{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"8:00:00"}}', changed: '{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"4:00:00"}}' },
  { kind: "homeRealmDiscoveryPolicy", path: "/policies/homeRealmDiscoveryPolicies", definition: '{"HomeRealmDiscoveryPolicy":{"AccelerateToFederatedDomain":true,"PreferredDomain":"federated.example.edu"}}', changed: '{"HomeRealmDiscoveryPolicy":{"AccelerateToFederatedDomain":false}}' },
  { kind: "claimsMappingPolicy", path: "/policies/claimsMappingPolicies", definition: '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true"}}', changed: '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"false"}}' },
  { kind: "tokenIssuancePolicy", path: "/policies/tokenIssuancePolicies", definition: '{"TokenIssuancePolicy":{"Version":1,"SamlTokenVersion":"2.0"}}', changed: '{"TokenIssuancePolicy":{"Version":1,"SamlTokenVersion":"1.1"}}' },
  { kind: "activityBasedTimeoutPolicy", path: "/policies/activityBasedTimeoutPolicies", definition: '{"ActivityBasedTimeoutPolicy":{"Version":1,"ApplicationPolicies":[{"ApplicationId":"default","WebSessionIdleTimeout":"01:00:00"}]}}', changed: '{"ActivityBasedTimeoutPolicy":{"Version":1,"ApplicationPolicies":[{"ApplicationId":"default","WebSessionIdleTimeout":"00:30:00"}]}}' },
] as const;

describe("stsPolicy kinds: token lifetime, home realm discovery, claims mapping, token issuance, activity-based timeout", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    for (const k of KINDS) await client.api(k.path).post({ displayName: `Contoso ${k.kind}`, definition: [k.definition] });
    repo = await exportedRepo(sandboxEnv(started.sandbox));
  });
  afterAll(async () => started?.stop());

  it("exports each policy with its definition, and plans empty", async () => {
    for (const k of KINDS) expect(readDoc(repo, k.kind, `contoso-${k.kind.toLowerCase()}`).spec).toEqual({ displayName: `Contoso ${k.kind}`, definition: [k.definition] });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("updates, creates and deletes each kind through apply, each followed by an empty plan", async () => {
    for (const k of KINDS) {
      editSpec(repo, k.kind, `contoso-${k.kind.toLowerCase()}`, (spec) => {
        spec.definition = [k.changed];
        spec.isOrganizationDefault = true;
      });
      writeDoc(repo, { kind: k.kind, name: "second", spec: { displayName: "Second", description: "made in git", definition: [k.definition] } });
    }
    commit(repo, "edit and add");
    const out = await applyConverges(repo);
    for (const k of KINDS) {
      expect(out).toContain(`updated ${k.kind}/contoso-${k.kind.toLowerCase()}`);
      expect(out).toContain(`created ${k.kind}/second`);
      const live = (await client.api(k.path).get()) as { value: Record<string, unknown>[] };
      expect(live.value.find((p) => p.displayName === `Contoso ${k.kind}`)).toMatchObject({ definition: [k.changed], isOrganizationDefault: true });
      expect(live.value.find((p) => p.displayName === "Second")).toMatchObject({ description: "made in git", isOrganizationDefault: false });
    }

    for (const k of KINDS) removeDoc(repo, k.kind, "second");
    commit(repo, "remove the second ones");
    const deleted = await applyConverges(repo, "--allow-delete");
    for (const k of KINDS) {
      expect(deleted).toContain(`deleted ${k.kind}/second`);
      const live = (await client.api(k.path).get()) as { value: Record<string, unknown>[] };
      expect(live.value.map((p) => p.displayName)).toEqual([`Contoso ${k.kind}`]);
    }
  });

  it("validate requires displayName and definition, naming file and line", async () => {
    writeDoc(repo, { kind: "tokenLifetimePolicy", name: "broken", spec: { description: "no name, no definition" } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/tokenLifetimePolicy\/broken\.yaml:\d+:\d+/);
    expect(text).toMatch(/displayName/);
    expect(text).toMatch(/definition/);
    removeDoc(repo, "tokenLifetimePolicy", "broken");
  });

  it("sandbox: create without definition or displayName, or with an unknown property, is refused", async () => {
    await expect(client.api("/policies/tokenLifetimePolicies").post({ displayName: "x" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api("/policies/claimsMappingPolicies").post({ definition: ["{}"] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api("/policies/homeRealmDiscoveryPolicies").post({ displayName: "x", definition: ["{}"], colour: "red" })).rejects.toMatchObject({ statusCode: 400 });
  });
});
