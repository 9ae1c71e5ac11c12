/**
 * Custom security attribute definitions through the CLI against the sandbox: export (predefined
 * values by `$expand`, sorted) → plan empty → description edited, a value added, one deactivated,
 * a definition added → apply → plan empty; deactivation by status; a removed document deletes
 * nothing (Graph cannot delete definitions) and the plan warns; changes Graph refuses (a create-only
 * property, a removed predefined value, usePreDefinedValuesOnly false → true) are plan errors and
 * apply writes nothing; validate requires the create properties; the sandbox refuses what Graph
 * refuses. Opt-in: a default export writes none.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const PATH = "/directory/customSecurityAttributeDefinitions";
const KIND = "customSecurityAttributeDefinition";
type Definition = Record<string, unknown> & { allowedValues?: { id: string; isActive: boolean }[] };

describe("customSecurityAttributeDefinition: definitions and predefined values (create and update; never deleted)", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  const live = async (id: string): Promise<Definition> => (await client.api(`${PATH}/${id}`).expand("allowedValues").get()) as Definition;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    await client.api("/directory/attributeSets").post({ id: "Engineering", description: "Engineering attributes", maxAttributesPerSet: 10 });
    await client.api(PATH).post({
      attributeSet: "Engineering",
      name: "Project",
      description: "Active projects for user",
      type: "String",
      status: "Available",
      isCollection: true,
      isSearchable: true,
      usePreDefinedValuesOnly: true,
      allowedValues: [
        { id: "Baker", isActive: true },
        { id: "Alpine", isActive: true },
      ],
    });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: ["attributeSet", KIND] });
  });
  afterAll(async () => started?.stop());

  it("is opt-in: an export with the default kinds writes no definition", async () => {
    const defaults = await exportedRepo(sandboxEnv(started.sandbox));
    expect(existsSync(join(defaults.dir, "tenant-config", KIND))).toBe(false);
  });

  it("exports the definition with its predefined values sorted, and plans empty", async () => {
    const doc = readDoc(repo, KIND, "engineering-project");
    expect(doc.spec).toEqual({
      attributeSet: "Engineering",
      name: "Project",
      description: "Active projects for user",
      type: "String",
      status: "Available",
      isCollection: true,
      isSearchable: true,
      usePreDefinedValuesOnly: true,
      allowedValues: [
        { id: "Alpine", isActive: true },
        { id: "Baker", isActive: true },
      ],
    });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("updates a definition (description, a new value, a deactivated value) and creates one with its values, each followed by an empty plan", async () => {
    editSpec(repo, KIND, "engineering-project", (spec) => {
      spec.description = "Projects the user works on";
      spec.allowedValues = [
        { id: "Alpine", isActive: true },
        { id: "Baker", isActive: false },
        { id: "Cascade", isActive: true },
      ];
    });
    writeDoc(repo, {
      kind: KIND,
      name: "engineering-costcenter",
      spec: { attributeSet: "Engineering", name: "CostCenter", type: "Integer", status: "Available", isCollection: false, isSearchable: false, usePreDefinedValuesOnly: true, allowedValues: [{ id: "4100", isActive: true }] },
    });
    commit(repo, "edit and add");
    const out = await applyConverges(repo);
    expect(out).toContain(`updated ${KIND}/engineering-project`);
    expect(out).toContain(`created ${KIND}/engineering-costcenter`);
    const project = await live("Engineering_Project");
    expect(project.description).toBe("Projects the user works on");
    expect(project.allowedValues?.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: "Alpine", isActive: true },
      { id: "Baker", isActive: false },
      { id: "Cascade", isActive: true },
    ]);
    const cost = await live("Engineering_CostCenter");
    expect(cost).toMatchObject({ type: "Integer", isCollection: false, usePreDefinedValuesOnly: true, allowedValues: [{ id: "4100", isActive: true }] });
  });

  it("deactivates a definition through status and relaxes usePreDefinedValuesOnly (true → false)", async () => {
    editSpec(repo, KIND, "engineering-costcenter", (spec) => {
      spec.status = "Deprecated";
      spec.usePreDefinedValuesOnly = false;
    });
    commit(repo, "retire cost center");
    expect(await applyConverges(repo)).toContain(`updated ${KIND}/engineering-costcenter`);
    expect(await live("Engineering_CostCenter")).toMatchObject({ status: "Deprecated", usePreDefinedValuesOnly: false });
  });

  it("changes Graph refuses are plan errors naming the reason, and apply writes nothing", async () => {
    const before = await live("Engineering_Project");
    editSpec(repo, KIND, "engineering-project", (spec) => {
      spec.type = "Integer";
      spec.allowedValues = [{ id: "Alpine", isActive: true }];
    });
    editSpec(repo, KIND, "engineering-costcenter", (spec) => {
      spec.usePreDefinedValuesOnly = true;
    });
    commit(repo, "changes Graph refuses");
    const plan = await repo.cli("plan");
    const text = plan.stdout + plan.stderr;
    expect(plan.code, text).toBe(1);
    expect(text).toContain("type cannot change after creation, and the object cannot be re-created");
    expect(text).toContain("predefined value(s) Baker, Cascade cannot be removed");
    expect(text).toContain("usePreDefinedValuesOnly cannot change from false to true");
    const applied = await repo.cli("apply", "--auto-approve", "--allow-recreate");
    expect(applied.code).not.toBe(0);
    expect(await live("Engineering_Project")).toEqual(before);
    expect((await live("Engineering_CostCenter")).usePreDefinedValuesOnly).toBe(false);
    editSpec(repo, KIND, "engineering-project", (spec) => {
      spec.type = "String";
      spec.allowedValues = before.allowedValues?.sort((a, b) => a.id.localeCompare(b.id)) ?? [];
    });
    editSpec(repo, KIND, "engineering-costcenter", (spec) => {
      spec.usePreDefinedValuesOnly = false;
    });
    commit(repo, "back");
    const replanned = await repo.cli("plan", "--detailed-exitcode");
    expect(replanned.code, replanned.stdout + replanned.stderr).toBe(0);
  });

  it("a removed document deletes nothing: the plan warns that Graph cannot delete definitions", async () => {
    removeDoc(repo, KIND, "engineering-costcenter");
    commit(repo, "remove cost center");
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout + plan.stderr).toContain("Graph cannot delete custom security attribute definitions");
    const applied = await repo.cli("apply", "--auto-approve", "--allow-delete");
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).not.toContain(`deleted ${KIND}`);
    expect((await live("Engineering_CostCenter")).status).toBe("Deprecated");
  });

  it("validate requires the properties Graph needs to create a definition, naming file and line", async () => {
    writeDoc(repo, { kind: KIND, name: "broken", spec: { attributeSet: "Engineering", name: "Broken", type: "String" } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(new RegExp(`tenant-config/${KIND}/broken\\.yaml:\\d+:\\d+`));
    expect(text).toContain("isSearchable");
    removeDoc(repo, KIND, "broken");
  });

  it("sandbox: no DELETE of a definition or a value; bad, duplicate or read-only properties refused", async () => {
    await expect(client.api(`${PATH}/Engineering_Project`).delete()).rejects.toMatchObject({ statusCode: 405 });
    await expect(client.api(`${PATH}/Engineering_Project/allowedValues/Alpine`).delete()).rejects.toMatchObject({ statusCode: 405 });
    const base = { attributeSet: "Engineering", type: "String", status: "Available", isCollection: false, isSearchable: true, usePreDefinedValuesOnly: false };
    await expect(client.api(PATH).post({ ...base, name: "project" })).rejects.toMatchObject({ statusCode: 409 });
    await expect(client.api(PATH).post({ ...base, name: "Has space" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(PATH).post({ ...base, attributeSet: "Nowhere", name: "Other" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(PATH).post({ ...base, name: "Flag", type: "Boolean", isCollection: true })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(PATH).post({ ...base, name: "NoStatus", status: undefined })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(PATH).post({ ...base, id: "Engineering_Chosen", name: "Chosen" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${PATH}/Engineering_Project`).patch({ type: "Integer" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${PATH}/Engineering_CostCenter`).patch({ usePreDefinedValuesOnly: true })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${PATH}/Engineering_Project/allowedValues`).post({ id: "Alpine", isActive: true })).rejects.toMatchObject({ statusCode: 409 });
    await expect(client.api(`${PATH}/Engineering_Project/allowedValues`).post({ id: "Delta" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${PATH}/Engineering_Project/allowedValues/Alpine`).patch({ id: "Renamed" })).rejects.toMatchObject({ statusCode: 400 });
    const listed = (await client.api(PATH).get()) as { value: Definition[] };
    expect(listed.value.every((d) => !("allowedValues" in d))).toBe(true);
  });
});
