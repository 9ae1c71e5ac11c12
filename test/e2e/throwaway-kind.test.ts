/**
 * Adding a kind is its descriptor plus its sandbox resource (issue 14): this test builds a kind that
 * exists nowhere in src/ or schemas/ at run time, registers it (`registerKind`), gives the sandbox
 * its resource the way resources are registered (a `ResourceDefinition`, `resources` of the
 * sandbox's options), and runs the CLI
 * through export → plan (empty) → edit → apply → plan (empty) → create → delete, with a reference
 * to a group by name. Nothing outside the descriptor and the resource knows the kind: if any engine
 * file still kept a table of kinds, prefixes, activity names, required properties or permissions,
 * the kind would be missing from it and this test would fail.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineResource } from "../../src/sandbox/tenant/core/resource.js";
import { badRequest } from "../../src/sandbox/tenant/core/errors.js";
import { slugOf } from "../../src/kinds/common.js";
import { getKind, registerKind } from "../../src/kinds/registry.js";
import type { KindDescriptor, ReferencePrefix } from "../../src/kinds/types.js";
import type { Kind } from "../../src/model/kind.js";
import { detectKind } from "../../src/engine/import/detect-kind.js";
import { permissionsFor } from "../../src/engine/permissions.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const KIND = "throwawayWidgetPolicy";
const PATH = "/policies/throwawayWidgetPolicies";
const READ = ["Policy.Read.All"];
const WRITE = ["Policy.ReadWrite.ConditionalAccess"];
const PROPERTIES = ["displayName", "description", "isEnabled", "tags", "excludeGroups"];

/** The sandbox side: a Graph-like collection that refuses unknown properties and a missing displayName. */
const resource = defineResource({
  collection: "throwawayWidgetPolicies",
  entityType: "microsoft.graph.throwawayWidgetPolicy",
  resourceName: "ThrowawayWidgetPolicy",
  paths: [{ path: PATH }],
  permissions: { read: READ, write: WRITE },
  filter: { displayName: ["eq"] },
  create: (_ctx, body, id) => ({ description: null, isEnabled: false, tags: [], excludeGroups: [], ...body, id }),
  validate: (_ctx, entity) => {
    if (typeof entity["displayName"] !== "string" || entity["displayName"] === "") throw badRequest("displayName is required.", "BadRequest");
    for (const key of Object.keys(entity)) if (key !== "id" && !PROPERTIES.includes(key)) throw badRequest(`Invalid property '${key}'.`, "BadRequest");
  },
  audit: { service: "Core Directory", category: "Policy", targetType: "Policy", add: "Add throwaway widget policy", update: "Update throwaway widget policy", delete: "Delete throwaway widget policy" },
});

const spec = {
  type: "object",
  additionalProperties: false,
  required: ["displayName"],
  properties: {
    displayName: { type: "string" },
    description: { type: ["string", "null"] },
    isEnabled: { type: "boolean" },
    tags: { type: "array", items: { type: "string" } },
    excludeGroups: { type: "array", items: { type: "string", pattern: "^(group:\\S(.*\\S)?|[0-9a-fA-F-]{36})$" } },
  },
};

/** The engine side: everything about the kind, in its descriptor. */
const descriptor = {
  // The static `Kind` type lists the built-in kinds; a kind registered at run time is one by registration.
  kind: KIND as Kind,
  reference: { prefix: "throwawayWidget" as ReferencePrefix },
  audit: { activity: /throwaway widget policy/i },
  detect: { odataTypes: ["throwawayWidgetPolicy"], context: /throwawayWidgetPolicies/i },
  required: ["displayName"],
  documentSchema: {
    type: "object",
    additionalProperties: false,
    required: ["kind", "name", "spec"],
    properties: { kind: { const: KIND }, name: { type: "string" }, id: { type: "string" }, environments: { type: "array" }, spec },
  },
  title: "throwaway widget policy",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.throwawayWidgetPolicy",
  singleton: false,
  collectionPath: PATH,
  itemPath: (id: string) => `${PATH}/${id}`,
  naturalKey: "displayName",
  documentName: (s) => slugOf(s),
  serverManaged: ["id"],
  createOnly: [],
  setArrays: ["tags", "excludeGroups"],
  references: [{ path: "excludeGroups", targets: ["group"] }],
  dependsOn: ["group"],
  permissions: { read: READ, write: WRITE },
  defaults: { isEnabled: false },
} satisfies KindDescriptor;

/** Every file under `dir` whose text mentions `needle`. */
function filesMentioning(dir: string, needle: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesMentioning(path, needle));
    else if (readFileSync(path, "utf8").includes(needle)) out.push(path);
  }
  return out;
}

describe("a kind added by its descriptor and its sandbox resource alone", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let unregister: () => void;

  beforeAll(async () => {
    unregister = registerKind(descriptor);
    started = await startSandbox({ seed: "demo", resources: [resource] });
    const client = admin(started);
    const group = (await client.api("/groups").filter("displayName eq 'Finance Team'").select("id").get()) as { value: { id: string }[] };
    await client.api(PATH).post({ displayName: "Widget One", description: "first", tags: ["b", "a"], excludeGroups: [group.value[0]?.id] });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: ["group", KIND] });
  });
  afterAll(async () => {
    await started?.stop();
    unregister?.();
  });

  it("is named nowhere in the engine, its schemas or scripts", () => {
    expect(["src", "schemas", "scripts"].flatMap((dir) => filesMentioning(dir, KIND))).toEqual([]);
  });

  it("is exported with references by name and set arrays sorted, and plans empty", async () => {
    const doc = readDoc(repo, KIND, "widget-one");
    expect(doc.spec).toEqual({ displayName: "Widget One", description: "first", tags: ["a", "b"], excludeGroups: ["group:finance-team"] });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("validates documents against its own schema and required properties, naming file, line and field", async () => {
    writeDoc(repo, { kind: KIND, name: "broken", spec: { description: "no name", colour: "red" } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    expect(validated.stdout + validated.stderr).toMatch(new RegExp(`tenant-config/${KIND}/broken\\.yaml:\\d+:\\d+`));
    expect(validated.stdout + validated.stderr).toMatch(/displayName/);
    expect(validated.stdout + validated.stderr).toMatch(/colour/);
    removeDoc(repo, KIND, "broken");
  });

  it("updates, creates and deletes through apply, each followed by an empty plan", async () => {
    editSpec(repo, KIND, "widget-one", (s) => {
      s.isEnabled = true;
      s.tags = ["a", "c"];
      s.excludeGroups = [];
    });
    writeDoc(repo, { kind: KIND, name: "widget-two", spec: { displayName: "Widget Two", excludeGroups: ["group:finance-team"] } });
    commit(repo, "edit one, add two");
    const out = await applyConverges(repo);
    expect(out).toContain(`updated ${KIND}/widget-one`);
    expect(out).toContain(`created ${KIND}/widget-two`);
    const client = admin(started);
    const live = (await client.api(PATH).get()) as { value: Record<string, unknown>[] };
    const one = live.value.find((w) => w.displayName === "Widget One");
    expect(one).toMatchObject({ isEnabled: true, tags: ["a", "c"], excludeGroups: [] });
    const two = live.value.find((w) => w.displayName === "Widget Two");
    const group = (await client.api("/groups").filter("displayName eq 'Finance Team'").select("id").get()) as { value: { id: string }[] };
    expect(two?.excludeGroups).toEqual([group.value[0]?.id]);

    removeDoc(repo, KIND, "widget-two");
    commit(repo, "remove two");
    expect(await applyConverges(repo, "--allow-delete")).toContain(`deleted ${KIND}/widget-two`);
    const after = (await client.api(PATH).get()) as { value: Record<string, unknown>[] };
    expect(after.value.map((w) => w.displayName)).toEqual(["Widget One"]);
  });

  it("is known to import detection and the permission list through its descriptor", () => {
    expect(detectKind({ "@odata.type": "#microsoft.graph.throwawayWidgetPolicy", displayName: "x" }, "")).toEqual({ kind: KIND });
    expect(detectKind({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/throwawayWidgetPolicies/$entity", displayName: "x" }, "")).toEqual({ kind: KIND });
    expect(permissionsFor([KIND as Kind]).write).toContain("Policy.ReadWrite.ConditionalAccess");
    expect(getKind(KIND as Kind)).toBe(descriptor);
  });
});
