import { describe, expect, test } from "vitest";
import { canonicalSentinel, classifyReferenceValue, formatReference, isGuid, parseReference } from "../../src/kinds/reference-syntax.js";
import { nameProblem, slugify, uniqueName } from "../../src/documents/names.js";

describe("references", () => {
  test("parses and formats prefix:name", () => {
    expect(parseReference("group:emergency-access")).toEqual({ prefix: "group", name: "emergency-access" });
    expect(parseReference("role:Global Administrator")).toEqual({ prefix: "role", name: "Global Administrator" });
    expect(parseReference("widget:x")).toBeUndefined();
    expect(parseReference("group:")).toBeUndefined();
    expect(parseReference("All")).toBeUndefined();
    expect(formatReference("namedLocation", "office")).toBe("namedLocation:office");
  });

  test("classifies GUIDs, sentinels and references", () => {
    expect(isGuid("62E90394-69F5-4237-9190-012177145E10")).toBe(true);
    expect(isGuid("62e90394-69f5-4237-9190-012177145e1")).toBe(false);
    expect(classifyReferenceValue("All", ["All", "None"])).toEqual({ type: "sentinel", value: "All" });
    expect(classifyReferenceValue("62E90394-69F5-4237-9190-012177145E10")).toEqual({ type: "guid", id: "62e90394-69f5-4237-9190-012177145e10" });
    expect(classifyReferenceValue("Office 365")).toEqual({ type: "invalid", value: "Office 365" });
    expect(canonicalSentinel("all", ["All", "None"])).toBe("All");
  });
});

describe("names", () => {
  test("accepts slugs and refuses paths", () => {
    expect(nameProblem("require-mfa-for-admins")).toBeUndefined();
    expect(nameProblem("a.b_c-1")).toBeUndefined();
    expect(nameProblem("../x")).toMatch(/path separator/);
    expect(nameProblem("a..b")).toMatch(/\.\./);
    expect(nameProblem("Admins")).toMatch(/lower-case/);
    expect(nameProblem("-a")).toMatch(/starting with/);
  });

  test("slugifies display names into valid, unique names", () => {
    expect(slugify("CA101 - Admins: Require MFA (Ünïcode)")).toBe("ca101-admins-require-mfa-unicode");
    expect(slugify("../../etc/passwd")).toBe("etc-passwd");
    expect(slugify("!!!")).toBe("unnamed");
    const taken = new Set<string>();
    expect([uniqueName("a", taken), uniqueName("a", taken), uniqueName("a", taken)]).toEqual(["a", "a-2", "a-3"]);
    expect(nameProblem(slugify("x".repeat(300)))).toBeUndefined();
  });
});

describe("name pattern in the schemas", () => {
  test("agrees with nameProblem", async () => {
    const { NAME_PATTERN } = await import("../../src/documents/names.js");
    for (const name of ["a", "a.b", "a_b-c", "a..b", "a.", "-a", "A", "x".repeat(128), "x".repeat(129)]) {
      expect(NAME_PATTERN.test(name), name).toBe(nameProblem(name) === undefined);
    }
  });
});
