import { describe, expect, it } from "vitest";
import { assignDocumentNames, slugify } from "../../src/kinds/naming.js";
import { getKind } from "../../src/kinds/registry.js";

describe("slugify", () => {
  it("makes lower-case ASCII slugs with single dashes", () => {
    expect(slugify("CA001 - Block legacy authentication")).toBe("ca001-block-legacy-authentication");
    expect(slugify("  Réseau d'entreprise — Zürich  ")).toBe("reseau-d-entreprise-zurich");
    expect(slugify("Require MFA for admins (Exchange).")).toBe("require-mfa-for-admins-exchange");
    expect(slugify("alice@contoso.com")).toBe("alice-contoso-com");
  });

  it("falls back when nothing is left", () => {
    expect(slugify("条件付きアクセス")).toBe("unnamed");
    expect(slugify("", "policy")).toBe("policy");
  });

  it("keeps names to 100 characters, cut at a dash", () => {
    const slug = slugify("word ".repeat(40));
    expect(slug.length).toBeLessThanOrEqual(100);
    expect(slug).toMatch(/^(word-)*word$/);
  });
});

describe("assignDocumentNames", () => {
  it("keeps unique proposals and suffixes every colliding one with its id", () => {
    const names = assignDocumentNames([
      { id: "b1c2d3e4-0000-0000-0000-000000000000", proposed: "block-legacy-auth" },
      { id: "a9f8e7d6-0000-0000-0000-000000000000", proposed: "block-legacy-auth" },
      { id: "c0000000-0000-0000-0000-000000000000", proposed: "require-mfa" },
    ]);
    expect(Object.fromEntries(names)).toEqual({
      "a9f8e7d6-0000-0000-0000-000000000000": "block-legacy-auth-a9f8e7d6",
      "b1c2d3e4-0000-0000-0000-000000000000": "block-legacy-auth-b1c2d3e4",
      "c0000000-0000-0000-0000-000000000000": "require-mfa",
    });
  });

  it("does not depend on the order objects were read in", () => {
    const items = [
      { id: "1", proposed: "x" },
      { id: "2", proposed: "x" },
      { id: "3", proposed: "x-2" },
    ];
    expect(assignDocumentNames(items)).toEqual(assignDocumentNames([...items].reverse()));
  });

  it("keeps names already in the repository, so a new look-alike never renames an old file", () => {
    const names = assignDocumentNames(
      [
        { id: "old-id", proposed: "admins" },
        { id: "new-id", proposed: "admins" },
      ],
      new Map([["old-id", "admins"]]),
    );
    expect(names.get("old-id")).toBe("admins");
    expect(names.get("new-id")).toBe("admins-newid");
  });

  it("lengthens the suffix when two ids share a prefix", () => {
    const names = assignDocumentNames([
      { id: "abcdefgh-1111", proposed: "p" },
      { id: "abcdefgh-2222", proposed: "p" },
    ]);
    expect(new Set(names.values()).size).toBe(2);
  });
});

describe("document names proposed by kinds", () => {
  it("name singletons default and role assignments by role, principal and scope", () => {
    expect(getKind("authorizationPolicy").documentName({})).toBe("default");
    const assignment = getKind("roleAssignment");
    expect(assignment.documentName({ roleDefinitionId: "role:Global Reader", principalId: "user:alice@contoso.com", directoryScopeId: "/" })).toBe("global-reader-alice");
    expect(assignment.documentName({ roleDefinitionId: "role:Helpdesk Administrator", principalId: "group:rag-helpdesk", directoryScopeId: "administrativeUnit:au-sales" })).toBe("helpdesk-administrator-rag-helpdesk-au-sales");
    expect(assignment.documentName({ roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10", principalId: "9c0a7e43-61b8-4f59-a0b3-2f7d8a1e6c55", directoryScopeId: "/administrativeUnits/4d7ea995" })).toBe("global-administrator-9c0a7e43-61b8-4f59-a0b3-2f7d8a1e6c55-4d7ea995");
  });
});
