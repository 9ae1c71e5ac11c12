import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@microsoft/microsoft-graph-client";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const ROLES = "/roleManagement/directory/roleDefinitions";
const ASSIGNMENTS = "/roleManagement/directory/roleAssignments";
const NAME = "helpdesk-lite";
const TEMPLATE = "5b3c2f1e-7a4d-4c1b-9e8f-0a1b2c3d4e5f";
type List = { value: Record<string, unknown>[] };

describe("roleDefinition: custom directory roles, referenced by role assignments as roleDefinition:<name>", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  let upn: string;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    const role = (await client.api(ROLES).post({
      displayName: "Helpdesk Lite",
      description: "Resets passwords",
      isEnabled: true,
      templateId: TEMPLATE,
      rolePermissions: [{ allowedResourceActions: ["microsoft.directory/users/password/update"] }],
    })) as { id: string };
    const user = ((await client.api("/users").top(1).get()) as List).value[0] as { id: string; userPrincipalName: string };
    upn = user.userPrincipalName;
    await client.api(ASSIGNMENTS).post({ roleDefinitionId: role.id, principalId: user.id, directoryScopeId: "/" });
    repo = await exportedRepo(sandboxEnv(started.sandbox));
  });
  afterAll(async () => started?.stop());

  it("exports the custom role (no built-in role) and its assignment by name, and plans empty", async () => {
    expect(readDoc(repo, "roleDefinition", NAME).spec).toEqual({
      description: "Resets passwords",
      displayName: "Helpdesk Lite",
      isEnabled: true,
      rolePermissions: [{ allowedResourceActions: ["microsoft.directory/users/password/update"] }],
      templateId: TEMPLATE,
    });
    expect(() => readDoc(repo, "roleDefinition", "global-administrator")).toThrow();
    const assignment = readDoc(repo, "roleAssignment", `helpdesk-lite-${upn.replace(/@.*$/, "").replace(/[^a-z0-9]+/g, "-")}`);
    expect(assignment.spec).toMatchObject({ roleDefinitionId: `roleDefinition:${NAME}`, principalId: `user:${upn}`, directoryScopeId: "/" });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("updates, creates (with an assignment naming it) and deletes custom roles through apply, each followed by an empty plan", async () => {
    editSpec(repo, "roleDefinition", NAME, (spec) => {
      spec.isEnabled = false;
      spec.rolePermissions = [{ allowedResourceActions: ["microsoft.directory/users/password/update", "microsoft.directory/signInReports/allProperties/read"] }];
    });
    commit(repo, "helpdesk lite reads sign-ins");
    expect(await applyConverges(repo)).toContain(`updated roleDefinition/${NAME}`);
    const live = ((await client.api(ROLES).filter("isBuiltIn eq false").get()) as List).value;
    expect(live).toMatchObject([{ displayName: "Helpdesk Lite", isEnabled: false, templateId: TEMPLATE }]);
    expect((live[0]?.rolePermissions as { allowedResourceActions: string[] }[])[0]?.allowedResourceActions).toHaveLength(2);

    writeDoc(repo, { kind: "roleDefinition", name: "app-reader", spec: { displayName: "App Reader", isEnabled: true, rolePermissions: [{ allowedResourceActions: ["microsoft.directory/applications/standard/read"] }] } });
    writeDoc(repo, { kind: "roleAssignment", name: "app-reader-assignment", spec: { roleDefinitionId: "roleDefinition:app-reader", principalId: `user:${upn}`, directoryScopeId: "/" } });
    commit(repo, "app reader role, assigned");
    const created = await applyConverges(repo);
    expect(created.indexOf("created roleDefinition/app-reader")).toBeGreaterThanOrEqual(0);
    expect(created.indexOf("created roleDefinition/app-reader")).toBeLessThan(created.indexOf("created roleAssignment/app-reader-assignment"));
    const appReader = ((await client.api(ROLES).filter("displayName eq 'App Reader'").get()) as List).value[0] as { id: string; templateId: string };
    expect(appReader.templateId).toBe(appReader.id);
    expect(((await client.api(ASSIGNMENTS).filter(`roleDefinitionId eq '${appReader.id}'`).get()) as List).value).toHaveLength(1);

    removeDoc(repo, "roleAssignment", "app-reader-assignment");
    removeDoc(repo, "roleDefinition", "app-reader");
    commit(repo, "no app reader");
    const deleted = await applyConverges(repo, "--allow-delete");
    expect(deleted).toContain("deleted roleDefinition/app-reader");
    expect(deleted.indexOf("deleted roleAssignment/")).toBeLessThan(deleted.indexOf("deleted roleDefinition/app-reader"));
    expect(((await client.api(ROLES).filter("isBuiltIn eq false").get()) as List).value.map((r) => r.displayName)).toEqual(["Helpdesk Lite"]);
  });

  it("validate requires displayName, isEnabled and rolePermissions, and an assignment's roleDefinition: must name a document", async () => {
    writeDoc(repo, { kind: "roleDefinition", name: "broken", spec: { description: "no name" } });
    writeDoc(repo, { kind: "roleAssignment", name: "dangling", spec: { roleDefinitionId: "roleDefinition:no-such-role", principalId: `user:${upn}`, directoryScopeId: "/" } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/roleDefinition\/broken\.yaml:\d+:\d+/);
    for (const field of ["displayName", "isEnabled", "rolePermissions"]) expect(text).toContain(field);
    expect(text).toMatch(/tenant-config\/roleAssignment\/dangling\.yaml:\d+:\d+.*roleDefinition:no-such-role/);
    removeDoc(repo, "roleDefinition", "broken");
    removeDoc(repo, "roleAssignment", "dangling");
  });

  it("sandbox: built-in roles cannot be written; a custom role needs isEnabled and resource actions, and a templateId no other role has", async () => {
    const builtIn = ((await client.api(ROLES).filter("isBuiltIn eq true").top(1).get()) as List).value[0] as { id: string };
    await expect(client.api(`${ROLES}/${builtIn.id}`).patch({ description: "mine" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${ROLES}/${builtIn.id}`).delete()).rejects.toMatchObject({ statusCode: 400 });
    const base = { displayName: "X", rolePermissions: [{ allowedResourceActions: ["microsoft.directory/users/standard/read"] }] };
    await expect(client.api(ROLES).post(base)).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(ROLES).post({ ...base, isEnabled: true, rolePermissions: [{ allowedResourceActions: [] }] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(ROLES).post({ ...base, isEnabled: true, templateId: TEMPLATE })).rejects.toMatchObject({ statusCode: 400 });
  });
});
