/**
 * Version markers of write-only secrets (README "Rotating a write-only secret"): what plan calls a
 * rotation, what apply records, and the state file that keeps them; pure functions, no tenant.
 */
import { describe, expect, it } from "vitest";
import { compareVersions, keepSecretReferences, resolveSecrets, secretPaths, secretProblems, secretRotations, versionsIn } from "../../src/kinds/secret-references.js";
import { recordAppliedSecrets } from "../../src/engine/apply/secret-versions.js";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import { identityProvider } from "../../src/kinds/identityProvider.js";
import { formatSecretVersions, parseSecretVersions } from "../../src/state/secret-versions.js";
import type { Address, Kind, ObjectId } from "../../src/model/kind.js";
import type { PlanChange } from "../../src/model/plan.js";
import type { ObjectResult } from "../../src/engine/apply/apply.js";

const kind = { secrets: [{ property: "clientSecret", requiredOnCreate: true as const, version: "clientSecretVersion" }] };
const source = { gitRevision: null, configDigest: "sha256:x", tenantId: "t", graphUrl: "https://graph.microsoft.com", createdAt: "2026-12-07T00:00:00Z" };
const live = { displayName: "Google", identityProviderType: "Google", clientId: "c" };
const doc = (spec: Record<string, unknown>) => ({ kind: "identityProvider" as Kind, name: "google", spec: { ...live, clientSecret: "env:S", ...spec } });
const plan = (spec: Record<string, unknown>, applied?: Record<string, unknown>) =>
  computePlan([doc(spec)], [{ kind: "identityProvider" as Kind, name: "google", id: "Google-OAUTH" as ObjectId, spec: live }], {
    descriptors: [identityProvider],
    scope: ["identityProvider" as Kind],
    source,
    secretVersions: new Map(applied ? [["identityProvider/google", applied as Record<string, number>]] : []),
  });

describe("secret version markers", () => {
  it("orders integers by value and strings with their digit runs as numbers", () => {
    expect(compareVersions(2, 10)).toBeLessThan(0);
    expect(compareVersions("v2", "v10")).toBeLessThan(0);
    expect(compareVersions("2026-09", "2027-01")).toBeLessThan(0);
    expect(compareVersions("b", "a")).toBeGreaterThan(0);
    expect(compareVersions(3, 3)).toBe(0);
  });

  it("a higher marker, or one never recorded, is a rotation; a lower one is not; none or an equal one is neither", () => {
    expect(secretRotations(kind, { clientSecretVersion: 2 }, { clientSecret: 1 })).toEqual({ rotated: [{ property: "clientSecret", from: 1, to: 2 }], lowered: [] });
    expect(secretRotations(kind, { clientSecretVersion: 1 }, undefined)).toEqual({ rotated: [{ property: "clientSecret", to: 1 }], lowered: [] });
    expect(secretRotations(kind, { clientSecretVersion: 1 }, { clientSecret: 2 })).toEqual({ rotated: [], lowered: [{ property: "clientSecret", from: 2, to: 1 }] });
    expect(secretRotations(kind, { clientSecretVersion: 2 }, { clientSecret: 2 })).toEqual({ rotated: [], lowered: [] });
    expect(secretRotations(kind, {}, { clientSecret: 2 })).toEqual({ rotated: [], lowered: [] });
  });

  it("the marker is never compared with the tenant, never sent to Graph, and kept by export", () => {
    expect(secretPaths(kind)).toEqual(["clientSecret", "clientSecretVersion"]);
    expect(resolveSecrets(kind, { clientSecret: "env:S", clientSecretVersion: 2 }, { S: "value" })).toEqual({ clientSecret: "value" });
    expect(keepSecretReferences(kind, { clientId: "c" }, { clientId: "old", clientSecret: "env:S", clientSecretVersion: 2 })).toEqual({ clientId: "c", clientSecret: "env:S", clientSecretVersion: 2 });
    // Never invented: a document without one gets none.
    expect(keepSecretReferences(kind, { clientId: "c" }, { clientSecret: "env:S" })).toEqual({ clientId: "c", clientSecret: "env:S" });
    expect(versionsIn(kind, { clientSecretVersion: "2027-01" })).toEqual({ clientSecret: "2027-01" });
  });

  it("a rotation needs its reference and the variable's value", () => {
    expect(secretProblems(kind, { clientSecret: "env:S" }, {}, ["clientSecret"])[0]?.message).toBe("clientSecret names the environment variable S, which is not set");
    expect(secretProblems(kind, {}, { S: "v" }, ["clientSecret"])[0]?.message).toContain("clientSecret is rotated and needs its value");
    expect(secretProblems(kind, { clientSecret: "env:S" }, { S: "v" }, ["clientSecret"])).toEqual([]);
  });
});

describe("plan of a rotation", () => {
  it("makes an unchanged object an update writing the reference, shown by markers only", () => {
    const rotated = plan({ clientSecretVersion: 2 }, { clientSecret: 1 });
    const change = rotated.changes[0] as Extract<PlanChange, { action: "update" }>;
    expect(change.action).toBe("update");
    expect(change.fields).toEqual([{ op: "update", path: "clientSecret", rotation: { from: 1, to: 2 } }]);
    expect(change.after).toMatchObject({ clientSecret: "env:S", clientSecretVersion: 2 });
    expect(rotated.summary.update).toBe(1);
  });

  it("adds the rotation to an update of other fields", () => {
    const change = plan({ clientSecretVersion: 2, displayName: "Google (guests)" }, { clientSecret: 1 }).changes[0] as Extract<PlanChange, { action: "update" }>;
    expect(change.fields.map((f) => f.path).sort()).toEqual(["clientSecret", "displayName"]);
  });

  it("a lowered marker warns and changes nothing; an equal or removed one is silent", () => {
    const lowered = plan({ clientSecretVersion: 1 }, { clientSecret: 2 });
    expect(lowered.changes[0]?.action).toBe("noop");
    expect(lowered.diagnostics).toEqual([expect.objectContaining({ severity: "warning", code: "secret-version-lowered", address: "identityProvider/google" })]);
    expect(plan({ clientSecretVersion: 2 }, { clientSecret: 2 }).changes[0]?.action).toBe("noop");
    const removed = plan({}, { clientSecret: 2 });
    expect(removed.changes[0]?.action).toBe("noop");
    expect(removed.diagnostics).toEqual([]);
  });

  it("without the environment's record (drift, sync) no rotation is planned", () => {
    const drift = computePlan([doc({ clientSecretVersion: 2 })], [{ kind: "identityProvider" as Kind, name: "google", id: "Google-OAUTH" as ObjectId, spec: live }], { descriptors: [identityProvider], scope: ["identityProvider" as Kind], source });
    expect(drift.changes[0]?.action).toBe("noop");
  });
});

describe("what apply records", () => {
  const at = "identityProvider/google" as Address;
  const base = { address: at, kind: "identityProvider" as Kind, name: "google", dependsOn: [], references: [], notes: [] };
  const descriptors = new Map([["identityProvider" as Kind, kind]]);
  const done = (action: ObjectResult["action"]): ObjectResult[] => [{ address: at, action, status: "done" }];

  it("a create records its document's markers, a rotation its new one, a delete removes the entry; failures record nothing", () => {
    const create: PlanChange = { ...base, action: "create", after: { clientSecret: "env:S", clientSecretVersion: 1 } };
    expect(recordAppliedSecrets(new Map(), [create], done("create"), descriptors)).toEqual(new Map([[at, { clientSecret: 1 }]]));
    const update: PlanChange = { ...base, action: "update", id: "Google-OAUTH" as ObjectId, before: {}, after: {}, fields: [{ op: "update", path: "clientSecret", rotation: { from: 1, to: 2 } }] };
    expect(recordAppliedSecrets(new Map([[at, { clientSecret: 1 }]]), [update], done("update"), descriptors)).toEqual(new Map([[at, { clientSecret: 2 }]]));
    expect(recordAppliedSecrets(new Map([[at, { clientSecret: 1 }]]), [update], [{ address: at, action: "update", status: "failed" }], descriptors)).toBeUndefined();
    const remove: PlanChange = { ...base, action: "delete", id: "Google-OAUTH" as ObjectId, before: {} };
    expect(recordAppliedSecrets(new Map([[at, { clientSecret: 2 }]]), [remove], done("delete"), descriptors)).toEqual(new Map());
    // A create without a marker records nothing.
    expect(recordAppliedSecrets(new Map(), [{ ...base, action: "create", after: { clientSecret: "env:S" } }], done("create"), descriptors)).toBeUndefined();
  });

  it("the state file round-trips, sorted, and refuses anything but markers, naming the line", () => {
    const text = formatSecretVersions(new Map([["identityProvider/google", { clientSecret: 2 }], ["identityProvider/facebook", { clientSecret: "2027-01" }]]), "prod");
    expect(text).toContain('environment "prod"');
    expect(text.indexOf("identityProvider/facebook")).toBeLessThan(text.indexOf("identityProvider/google"));
    expect(parseSecretVersions(text, "f.yaml").versions).toEqual(new Map([["identityProvider/facebook", { clientSecret: "2027-01" }], ["identityProvider/google", { clientSecret: 2 }]]));
    const bad = parseSecretVersions("identityProvider/google:\n  clientSecret: [1]\n", "f.yaml");
    expect(bad.diagnostics[0]).toMatchObject({ severity: "error", file: "f.yaml", line: 2 });
  });
});
