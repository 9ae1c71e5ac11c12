/**
 * App role assignments (`appRoleAssignment`) through the CLI against the sandbox: export names the
 * resource, the app role (`permission:<value>`) and the principal → plan empty → an assignment to
 * a user and one to a group created → plan empty → the application permission revoked (delete) →
 * plan empty; a misspelt app role stops plan with file and line; the sandbox refuses what Graph
 * refuses (an app role not allowed for the principal's type, a duplicate, a missing resourceId,
 * other properties, an update).
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import { parseIdMap } from "../../src/state/id-map.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, exportedRepo, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
const USER_READ_ALL = "df021288-bdef-4463-88db-98f22de89214";
const ORDERS_READ = randomUUID();
const ORDERS_APPROVER = randomUUID();

type Assignment = { id: string; appRoleId: string; principalId: string; resourceId: string };

describe("appRoleAssignment: app roles granted to users, groups and service principals", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  let clientSp: string;
  let graphSp: string;
  let ordersSp: string;
  let groupId: string;
  let upn: string;
  const assignedTo = async (resource: string): Promise<Assignment[]> => ((await client.api(`/servicePrincipals/${resource}/appRoleAssignedTo`).get()) as { value: Assignment[] }).value;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    const app = (await client.api("/applications").post({ displayName: "Role Client" })) as { appId: string };
    clientSp = ((await client.api("/servicePrincipals").post({ appId: app.appId })) as { id: string }).id;
    const role = (id: string, value: string, allowedMemberTypes: string[]) => ({ id, value, displayName: value, description: value, allowedMemberTypes, isEnabled: true });
    const api = (await client.api("/applications").post({
      displayName: "Orders API",
      appRoles: [role(ORDERS_READ, "Orders.Read.All", ["Application"]), role(ORDERS_APPROVER, "Orders.Approver", ["User"])],
    })) as { appId: string };
    ordersSp = ((await client.api("/servicePrincipals").post({ appId: api.appId })) as { id: string }).id;
    graphSp = ((await client.api("/servicePrincipals").filter(`appId eq '${GRAPH_APP_ID}'`).get()) as { value: { id: string }[] }).value[0]?.id ?? "";
    upn = ((await client.api("/users").top(1).get()) as { value: { userPrincipalName: string }[] }).value[0]?.userPrincipalName ?? "";
    groupId = ((await client.api("/groups").post({ displayName: "Order Approvers", mailEnabled: false, mailNickname: "order-approvers", securityEnabled: true })) as { id: string }).id;
    await client.api(`/servicePrincipals/${graphSp}/appRoleAssignedTo`).post({ principalId: clientSp, resourceId: graphSp, appRoleId: USER_READ_ALL });
    repo = await exportedRepo(sandboxEnv(started.sandbox));
  });
  afterAll(async () => started?.stop());

  it("exports the application permission with resource, app role and principal by name, and plans empty", async () => {
    const doc = readDoc(repo, "appRoleAssignment", "microsoft-graph-user-read-all-role-client");
    expect(doc.spec).toEqual({ appRoleId: "permission:User.Read.All", principalId: "servicePrincipal:role-client", resourceId: "resource:Microsoft Graph" });
    // The engine's id (in the id map) names the resource service principal the assignment is deleted under.
    const { ids } = parseIdMap(readFileSync(join(repo.dir, ".entra-gitops", "state", "default", "ids.yaml"), "utf8"), "ids.yaml");
    expect(ids.get("appRoleAssignment/microsoft-graph-user-read-all-role-client")).toMatch(new RegExp(`^${graphSp}/[A-Za-z0-9_-]+$`));
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("creates assignments to a user and a group, then revokes the application permission, each followed by an empty plan", async () => {
    writeDoc(repo, { kind: "appRoleAssignment", name: "orders-approver-user", spec: { appRoleId: "permission:Orders.Approver", principalId: `user:${upn}`, resourceId: "servicePrincipal:orders-api" } });
    writeDoc(repo, { kind: "appRoleAssignment", name: "orders-approver-group", spec: { appRoleId: "permission:Orders.Approver", principalId: "group:order-approvers", resourceId: "servicePrincipal:orders-api" } });
    commit(repo, "approvers");
    const out = await applyConverges(repo);
    expect(out).toContain("created appRoleAssignment/orders-approver-user");
    expect(out).toContain("created appRoleAssignment/orders-approver-group");
    const userId = ((await client.api(`/users/${upn}`).get()) as { id: string }).id;
    const orders = await assignedTo(ordersSp);
    expect(orders.map((a) => [a.principalId, a.appRoleId]).sort()).toEqual([[groupId, ORDERS_APPROVER], [userId, ORDERS_APPROVER]].sort());

    removeDoc(repo, "appRoleAssignment", "microsoft-graph-user-read-all-role-client");
    commit(repo, "revoke User.Read.All");
    const plan = await repo.cli("plan");
    expect(plan.stdout).toContain("appRoleAssignment/microsoft-graph-user-read-all-role-client");
    const deleted = await applyConverges(repo, "--allow-delete");
    expect(deleted).toContain("deleted appRoleAssignment/microsoft-graph-user-read-all-role-client");
    expect((await assignedTo(graphSp)).filter((a) => a.principalId === clientSp)).toEqual([]);
  });

  it("stops plan at an app role the resource does not publish, naming file, line and field", async () => {
    writeDoc(repo, { kind: "appRoleAssignment", name: "typo", spec: { appRoleId: "permission:Orders.approver", principalId: `user:${upn}`, resourceId: "servicePrincipal:orders-api" } });
    const plan = await repo.cli("plan");
    expect(plan.code).not.toBe(0);
    const text = plan.stdout + plan.stderr;
    expect(text).toMatch(/tenant-config\/appRoleAssignment\/typo\.yaml:\d+:\d+ spec\.appRoleId: permission:Orders\.approver is not an app role of servicePrincipal:orders-api; did you mean permission:Orders\.Approver\?/);
    removeDoc(repo, "appRoleAssignment", "typo");
  });

  it("validate requires appRoleId, principalId and resourceId, naming file and line", async () => {
    writeDoc(repo, { kind: "appRoleAssignment", name: "broken", spec: { principalId: `user:${upn}` } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/appRoleAssignment\/broken\.yaml:\d+:\d+/);
    for (const property of ["appRoleId", "resourceId"]) expect(text).toContain(property);
    removeDoc(repo, "appRoleAssignment", "broken");
  });

  it("sandbox: a role not allowed for the principal's type, a duplicate, a missing resourceId, other properties and an update are refused", async () => {
    const post = (body: Record<string, unknown>) => client.api(`/servicePrincipals/${ordersSp}/appRoleAssignedTo`).post(body);
    // Orders.Approver is for users and groups, Orders.Read.All for applications.
    await expect(post({ principalId: clientSp, resourceId: ordersSp, appRoleId: ORDERS_APPROVER })).rejects.toMatchObject({ statusCode: 400 });
    await expect(post({ principalId: groupId, resourceId: ordersSp, appRoleId: ORDERS_READ })).rejects.toMatchObject({ statusCode: 400 });
    await expect(post({ principalId: groupId, resourceId: ordersSp, appRoleId: ORDERS_APPROVER })).rejects.toMatchObject({ statusCode: 400 });
    await expect(post({ principalId: clientSp, appRoleId: ORDERS_READ })).rejects.toMatchObject({ statusCode: 400 });
    await expect(post({ principalId: clientSp, resourceId: ordersSp, appRoleId: ORDERS_READ, principalType: "ServicePrincipal" })).rejects.toMatchObject({ statusCode: 400 });
    const created = (await post({ principalId: clientSp, resourceId: ordersSp, appRoleId: ORDERS_READ })) as Assignment;
    await expect(client.api(`/servicePrincipals/${ordersSp}/appRoleAssignedTo/${created.id}`).patch({ appRoleId: ORDERS_APPROVER })).rejects.toMatchObject({ statusCode: 405 });
    expect((await assignedTo(ordersSp)).find((a) => a.id === created.id)?.appRoleId).toBe(ORDERS_READ);
  });
});
