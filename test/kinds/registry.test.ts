import { describe, expect, it } from "vitest";
import { defaultKindNames, KIND_NAMES } from "../../src/model/kind.js";
import type { Kind } from "../../src/model/kind.js";
import { allKinds, DependencyCycleError, getKind, kindOfPrefix, naturalKeyValue, prefixOfKind, registerKind, requiredPermissions, sortByDependencies } from "../../src/kinds/registry.js";
import { REFERENCE_PREFIXES } from "../../src/kinds/types.js";
import type { KindDescriptor, ReferencePrefix } from "../../src/kinds/types.js";
import { parseReference } from "../../src/kinds/reference-syntax.js";

describe("registry", () => {
  it("has one descriptor per kind, each under its own name", () => {
    for (const kind of KIND_NAMES) expect(getKind(kind).kind).toBe(kind);
    expect(allKinds().map((d) => d.kind).sort()).toEqual([...KIND_NAMES].sort());
  });

  it("lists every kind after the kinds it depends on", () => {
    const order = allKinds().map((d) => d.kind);
    for (const descriptor of allKinds()) {
      for (const dependency of descriptor.dependsOn) {
        expect(order.indexOf(dependency), `${descriptor.kind} after ${dependency}`).toBeLessThan(order.indexOf(descriptor.kind));
      }
    }
    expect(order.indexOf("conditionalAccessPolicy")).toBeGreaterThan(order.indexOf("namedLocation"));
    expect(order.indexOf("servicePrincipal")).toBeGreaterThan(order.indexOf("application"));
    expect(order.indexOf("roleAssignment")).toBeGreaterThan(order.indexOf("administrativeUnit"));
  });

  it("sorts a subset deterministically and ignores dependencies outside it", () => {
    expect(sortByDependencies(["conditionalAccessPolicy", "group", "namedLocation"])).toEqual(["namedLocation", "group", "conditionalAccessPolicy"]);
    expect(sortByDependencies(["roleAssignment"])).toEqual(["roleAssignment"]);
  });

  it("names the cycle when kinds depend on each other", () => {
    const graph: Partial<Record<Kind, Kind[]>> = { group: ["application"], application: ["servicePrincipal"], servicePrincipal: ["group"] };
    const sort = () => sortByDependencies(["group", "application", "servicePrincipal"], (k) => graph[k] ?? []);
    expect(sort).toThrow(DependencyCycleError);
    expect(sort).toThrow("kinds depend on each other in a cycle: group → application → servicePrincipal → group");
  });

  it("gives every descriptor consistent facts", () => {
    for (const d of allKinds()) {
      // A kind Graph serves only in beta carries its type (the v1.0 CSDL lacks it) and is read through beta.
      expect(d.apiVersion, d.kind).toBe(d.betaOnlyType ? "beta" : "v1.0");
      expect(d.graphType).toMatch(/^microsoft\.graph\.[a-zA-Z][a-zA-Z0-9]*$/);
      expect(d.collectionPath.startsWith("/")).toBe(true);
      expect(d.permissions.read.length, d.kind).toBeGreaterThan(0);
      // A read-only kind (domains) writes nothing, so it needs no write permission.
      if (d.readOnly === undefined) expect(d.permissions.write.length, d.kind).toBeGreaterThan(0);
      else expect(d.permissions.write, d.kind).toEqual([]);
      expect(d.dependsOn).not.toContain(d.kind);
      // A listed singleton (the organization) is written at its item path, found by listing.
      if (d.listedSingleton) expect(d.itemPath("tenant-id")).toBe(`${d.collectionPath}/tenant-id`);
      else if (d.singleton) expect(d.itemPath("ignored")).toBe(d.collectionPath);
      // Objects under a parent (app role assignments) carry the parent's id in theirs: `{parentId}/{id}`.
      // One object per parent (a partner's identity synchronization): its id is the parent's.
      else if (d.parent?.single) expect(d.itemPath("p1")).toBe(`${d.parent.collectionPath}/p1/${d.parent.segment}`);
      else if (d.parent) expect(d.itemPath("p1/abc")).toBe(`${d.parent.collectionPath}/p1/${d.parent.segment}/abc`);
      // Objects Graph keeps per key (PIM role settings) are listed through their assignments and written under the policy they name.
      else if (d.fixedObjects) expect(d.itemPath("abc")).toMatch(/^\/[A-Za-z/]+\/abc$/);
      else expect(d.itemPath("abc")).toBe(`${d.collectionPath}/abc`);
    }
  });

  it("soft-deletes only what Graph restores (security groups are deleted permanently)", () => {
    const group = getKind("group").softDelete;
    expect(group?.appliesTo?.({ groupTypes: ["Unified"] })).toBe(true);
    expect(group?.appliesTo?.({ groupTypes: [] })).toBe(false);
    expect(getKind("conditionalAccessPolicy").softDelete?.restorePath("p1")).toBe("/identity/conditionalAccess/deletedItems/policies/p1/restore");
    expect(getKind("application").softDelete?.listPath).toBe("/directory/deletedItems/microsoft.graph.application");
    expect(getKind("crossTenantAccessPolicyPartner").softDelete?.apiVersion).toBe("beta");
    expect(getKind("roleAssignment").softDelete).toBeUndefined();
  });

  it("computes natural keys, joined ones included", () => {
    expect(naturalKeyValue(getKind("group"), { displayName: "Emergency access" })).toBe("Emergency access");
    const triple = { roleDefinitionId: "role:Global Reader", principalId: "user:alice@contoso.com", directoryScopeId: "/" };
    expect(naturalKeyValue(getKind("roleAssignment"), triple)).toBe("role:Global Reader|user:alice@contoso.com|/");
    expect(naturalKeyValue(getKind("roleAssignment"), { roleDefinitionId: "role:Global Reader" })).toBeUndefined();
  });

  it("does not manage Microsoft-owned service principals, managed identities or built-in strengths", () => {
    const sp = getKind("servicePrincipal");
    expect(sp.isManaged?.({ appOwnerOrganizationId: "f8cdef31-a31e-4b4a-93e4-5f571e91255a" })).toBe(false);
    expect(sp.isManaged?.({ servicePrincipalType: "ManagedIdentity" })).toBe(false);
    expect(sp.isManaged?.({ appOwnerOrganizationId: "7e4a7b0c-3a63-4a4f-9d29-0c1f0b7d2a11", servicePrincipalType: "Application" })).toBe(true);
    expect(getKind("authenticationStrengthPolicy").isManaged?.({ policyType: "builtIn" })).toBe(false);
  });
});

describe("requiredPermissions", () => {
  it("unites the kinds' least-privilege permissions, reads included in writes", () => {
    expect(requiredPermissions(["conditionalAccessPolicy", "namedLocation"], "read")).toStrictEqual(["Policy.Read.All"]);
    expect(requiredPermissions(["conditionalAccessPolicy", "group"], "write")).toStrictEqual([
      "Application.Read.All",
      "Group.Read.All",
      "Group.ReadWrite.All",
      "GroupMember.Read.All",
      "Policy.Read.All",
      "Policy.ReadWrite.ConditionalAccess",
    ]);
  });

  it("takes reference prefixes from the descriptors; the static prefix vocabulary is exactly theirs plus role: and resource:", () => {
    const prefixes = allKinds().flatMap((d) => (d.reference ? [d.reference.prefix] : []));
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect([...prefixes, "role", "resource"].sort()).toEqual([...REFERENCE_PREFIXES].sort());
    for (const d of allKinds()) if (d.reference) expect(kindOfPrefix(d.reference.prefix)).toBe(d.kind);
    expect(prefixOfKind("authenticationStrengthPolicy")).toBe("authenticationStrength");
    expect(kindOfPrefix("role")).toBeUndefined();
    expect(allKinds().filter((d) => d.optIn).map((d) => d.kind).sort()).toEqual(KIND_NAMES.filter((k) => !defaultKindNames().includes(k)).sort());
    expect(getKind("user").reference).toMatchObject({ key: "userPrincipalName", caseInsensitive: true, lookUpByKey: true });
  });

  it("gives every permission a kind asks for a Microsoft Graph app role id (GUID) where one is known, and no id for a permission it does not ask for", () => {
    for (const d of allKinds()) {
      const names = new Set([...d.permissions.read, ...d.permissions.write]);
      for (const [name, id] of Object.entries(d.permissions.ids ?? {})) {
        expect(names.has(name), `${d.kind}: id for ${name}, which it does not ask for`).toBe(true);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      }
    }
    // One id per permission name across kinds.
    const seen = new Map<string, string>();
    for (const d of allKinds()) for (const [name, id] of Object.entries(d.permissions.ids ?? {})) {
      expect(seen.get(name) ?? id, name).toBe(id);
      seen.set(name, id);
    }
  });

  it("registers a kind at run time and removes it again; refuses a kind or prefix already in use and unknown dependencies", () => {
    const widget = { ...getKind("namedLocation"), kind: "widgetForRegistryTest" as Kind, reference: { prefix: "widgetForRegistryTest" as ReferencePrefix }, dependsOn: ["group"] } satisfies KindDescriptor;
    const remove = registerKind(widget);
    try {
      expect(getKind(widget.kind)).toBe(widget);
      expect(allKinds().map((d) => d.kind)).toContain(widget.kind);
      expect(kindOfPrefix("widgetForRegistryTest")).toBe(widget.kind);
      expect(parseReference("widgetForRegistryTest:a")).toEqual({ prefix: "widgetForRegistryTest", name: "a" });
      expect(() => registerKind(widget)).toThrow('kind "widgetForRegistryTest" is already registered');
    } finally {
      remove();
    }
    expect(allKinds().map((d) => d.kind)).not.toContain(widget.kind);
    expect(parseReference("widgetForRegistryTest:a")).toBeUndefined();
    expect(() => getKind(widget.kind)).toThrow('unknown kind "widgetForRegistryTest"');
    expect(() => registerKind({ ...widget, kind: "other" as Kind, reference: { prefix: "group" } })).toThrow('reference prefix "group" of kind "other" is already in use');
    expect(() => registerKind({ ...widget, kind: "other" as Kind, reference: undefined, dependsOn: ["nothing" as Kind] })).toThrow('kind "other" depends on unknown kind "nothing"');
  });
});
