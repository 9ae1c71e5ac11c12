import { describe, expect, it } from "vitest";
import { roleAssignment } from "../../src/kinds/roleAssignment.js";
import { accessPackage } from "../../src/kinds/accessPackage.js";
import { accessPackageCatalogResource } from "../../src/kinds/accessPackageCatalogResource.js";

/**
 * A kind's audit words decide when an incremental sync reads a kind without delta again (README
 * "Incremental sync"): they must name its own activities and not its neighbours'.
 */
describe("roleAssignment's audit words", () => {
  it("match Entra's role assignment activities (direct, scoped, PIM, activation) and not role settings, definitions or eligibilities", () => {
    const own = [
      "Add member to role",
      "Remove member from role",
      "Add scoped member to role",
      "Remove scoped member from role",
      "Add member to role in PIM completed (permanent)",
      "Update member of role in PIM completed (timebound)",
      "Remove member from role in PIM completed (permanent)",
      "Add member to role completed (PIM activation)",
      "Remove member from role completed (PIM deactivate)",
    ];
    const others = [
      "Update role setting in PIM",
      "Add role definition",
      "Update role definition",
      "Add eligible member to role in PIM completed (permanent)",
      "Remove eligible member from role in PIM completed (timebound)",
      "Update eligible member of role in PIM completed (permanent)",
      "Add member to group",
      "Add app role assignment to service principal",
    ];
    expect(own.filter((a) => !roleAssignment.audit.activity.test(a))).toEqual([]);
    expect(others.filter((a) => roleAssignment.audit.activity.test(a))).toEqual([]);
  });
});

describe("accessPackage's audit words", () => {
  it("match the package's own activities, its resource role scopes included, and not its catalog's, policies' or catalog resources'", () => {
    const own = ["Create access package", "Update access package", "Delete access package", "Create access package resource role scope", "Delete access package resource role scope"];
    const others = ["Create access package catalog", "Update access package assignment policy", "Add resource to catalog", "Remove resource from catalog"];
    expect(own.filter((a) => !accessPackage.audit.activity.test(a))).toEqual([]);
    expect(others.filter((a) => accessPackage.audit.activity.test(a))).toEqual([]);
    expect(own.filter((a) => accessPackageCatalogResource.audit.activity.test(a))).toEqual([]);
  });
});
