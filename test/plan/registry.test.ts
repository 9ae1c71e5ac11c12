import { describe, expect, it } from "vitest";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import type { JsonObject } from "../../src/model/document.js";
import { SOURCE, caSpec, doc, live } from "./fixtures.js";

// The kind descriptors of src/kinds/registry.ts (the default when no descriptors are passed).
describe("computePlan with the registry's descriptors", () => {
  it("matches nested keyed arrays named by property (requiredResourceAccess.resourceAccess by id)", () => {
    const app = (scopes: JsonObject[]): JsonObject => ({
      displayName: "Portal",
      requiredResourceAccess: [{ resourceAppId: "00000003-0000-0000-c000-000000000000", resourceAccess: scopes }],
    });
    const plan = computePlan(
      [doc("application", "portal", app([{ id: "s2", type: "Scope" }, { id: "s1", type: "Role" }]), "a1")],
      [live("application", "portal", "a1", app([{ id: "s1", type: "Scope" }, { id: "s2", type: "Scope" }]))],
      { source: SOURCE, scope: ["application"] },
    );
    const change = plan.changes[0];
    expect(change?.action).toBe("update");
    expect(change?.action === "update" && change.fields).toEqual([
      { op: "update", path: "requiredResourceAccess[resourceAppId=00000003-0000-0000-c000-000000000000].resourceAccess[id=s1].type", before: "Scope", after: "Role" },
    ]);
  });

  it("orders applications before service principals and named locations/groups before CA policies", () => {
    const plan = computePlan(
      [
        doc("conditionalAccessPolicy", "p", caSpec("P", { conditions: { locations: { includeLocations: ["namedLocation:hq"] } } })),
        doc("servicePrincipal", "portal", { appId: "application:portal", accountEnabled: true }),
        doc("application", "portal", { displayName: "Portal" }),
        doc("namedLocation", "hq", { "@odata.type": "#microsoft.graph.countryNamedLocation", displayName: "HQ", countriesAndRegions: ["FR"] }),
        doc("group", "emergency-access", { displayName: "Emergency access", securityEnabled: true, mailEnabled: false }),
      ],
      [],
      { source: SOURCE, scope: ["conditionalAccessPolicy", "servicePrincipal", "application", "namedLocation", "group"] },
    );
    const order = plan.changes.map((c) => c.address);
    const before = (a: string, b: string): boolean => order.indexOf(a as never) < order.indexOf(b as never);
    expect(before("application/portal", "servicePrincipal/portal")).toBe(true);
    expect(before("namedLocation/hq", "conditionalAccessPolicy/p")).toBe(true);
    expect(before("group/emergency-access", "conditionalAccessPolicy/p")).toBe(true);
    const ca = plan.changes.find((c) => String(c.address) === "conditionalAccessPolicy/p");
    expect(ca?.action !== "noop" && ca?.dependsOn).toEqual(["group/emergency-access", "namedLocation/hq"]);
    expect(plan.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});
