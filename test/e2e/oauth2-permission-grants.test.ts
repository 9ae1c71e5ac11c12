/**
 * Delegated permission grants (`oauth2PermissionGrant`) through the CLI against the sandbox: export
 * names client, resource and user → plan empty → scope edited → apply → plan empty → a grant for
 * one user created → deleted; the sandbox refuses what Graph refuses (unknown scope, a second grant
 * for the same client, resource and principal, PATCH of anything but scope).
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

describe("oauth2PermissionGrant: delegated permission grants", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  let clientSp: string;
  let graphSp: string;
  let upn: string;
  let grantId: string;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    const app = (await client.api("/applications").post({ displayName: "Grant Client" })) as { appId: string };
    clientSp = ((await client.api("/servicePrincipals").post({ appId: app.appId })) as { id: string }).id;
    const found = (await client.api("/servicePrincipals").filter(`appId eq '${GRAPH_APP_ID}'`).get()) as { value: { id: string }[] };
    graphSp = found.value[0]?.id ?? ((await client.api("/servicePrincipals").post({ appId: GRAPH_APP_ID })) as { id: string }).id;
    upn = ((await client.api("/users").top(1).get()) as { value: { userPrincipalName: string }[] }).value[0]?.userPrincipalName ?? "";
    grantId = ((await client.api("/oauth2PermissionGrants").post({ clientId: clientSp, consentType: "AllPrincipals", resourceId: graphSp, scope: "User.Read" })) as { id: string }).id;
    repo = await exportedRepo(sandboxEnv(started.sandbox));
  });
  afterAll(async () => started?.stop());
  // The name export proposes: client, resource and the part of the user's UPN before the domain.
  const userGrant = (): string => `grant-client-microsoft-graph-${upn.replace(/@.*$/, "").replace(/\./g, "-")}`;

  it("exports the grant with client and resource by name, and plans empty", async () => {
    const doc = readDoc(repo, "oauth2PermissionGrant", "grant-client-microsoft-graph");
    expect(doc.spec).toEqual({ clientId: "servicePrincipal:grant-client", consentType: "AllPrincipals", resourceId: "resource:Microsoft Graph", scope: "User.Read" });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("updates scope, creates a grant for one user and deletes it through apply, each followed by an empty plan", async () => {
    editSpec(repo, "oauth2PermissionGrant", "grant-client-microsoft-graph", (spec) => {
      spec.scope = "User.ReadBasic.All User.Read";
    });
    writeDoc(repo, { kind: "oauth2PermissionGrant", name: userGrant(), spec: { clientId: "servicePrincipal:grant-client", consentType: "Principal", principalId: `user:${upn}`, resourceId: "resource:Microsoft Graph", scope: "User.Read.All" } });
    commit(repo, "widen consent, add one user's");
    const out = await applyConverges(repo);
    expect(out).toContain("updated oauth2PermissionGrant/grant-client-microsoft-graph");
    expect(out).toContain(`created oauth2PermissionGrant/${userGrant()}`);
    const live = (await client.api("/oauth2PermissionGrants").get()) as { value: Record<string, unknown>[] };
    expect(live.value.find((g) => g.id === grantId)).toMatchObject({ scope: "User.Read User.ReadBasic.All", principalId: null });
    const userId = ((await client.api(`/users/${upn}`).get()) as { id: string }).id;
    expect(live.value.find((g) => g.consentType === "Principal")).toMatchObject({ clientId: clientSp, resourceId: graphSp, principalId: userId, scope: "User.Read.All" });

    removeDoc(repo, "oauth2PermissionGrant", userGrant());
    commit(repo, "revoke the user's grant");
    const deleted = await applyConverges(repo, "--allow-delete");
    expect(deleted).toContain(`deleted oauth2PermissionGrant/${userGrant()}`);
    const after = (await client.api("/oauth2PermissionGrants").get()) as { value: Record<string, unknown>[] };
    expect(after.value.map((g) => g.id)).toEqual([grantId]);
  });

  it("validate requires clientId, consentType, resourceId and scope, naming file and line", async () => {
    writeDoc(repo, { kind: "oauth2PermissionGrant", name: "broken", spec: { principalId: `user:${upn}` } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/oauth2PermissionGrant\/broken\.yaml:\d+:\d+/);
    for (const property of ["clientId", "consentType", "resourceId", "scope"]) expect(text).toContain(property);
    removeDoc(repo, "oauth2PermissionGrant", "broken");
  });

  it("sandbox: unknown scope, duplicate grant, principalId with AllPrincipals and PATCH of clientId are refused", async () => {
    await expect(client.api("/oauth2PermissionGrants").post({ clientId: clientSp, consentType: "Principal", principalId: upn, resourceId: graphSp, scope: "Mail.Send" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api("/oauth2PermissionGrants").post({ clientId: clientSp, consentType: "AllPrincipals", resourceId: graphSp, scope: "User.Read" })).rejects.toMatchObject({ statusCode: 409 });
    await expect(client.api("/oauth2PermissionGrants").post({ clientId: clientSp, consentType: "AllPrincipals", principalId: clientSp, resourceId: graphSp, scope: "User.Read" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`/oauth2PermissionGrants/${grantId}`).patch({ clientId: graphSp })).rejects.toMatchObject({ statusCode: 400 });
    await client.api(`/oauth2PermissionGrants/${grantId}`).patch({ scope: "User.Read" });
    expect(((await client.api(`/oauth2PermissionGrants/${grantId}`).get()) as { scope: string }).scope).toBe("User.Read");
  });
});
