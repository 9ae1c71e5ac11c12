import { existsSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CSDL_PATH, CSDL_SOURCE } from "../../scripts/schema/generate.js";
import { allProperties, parseCsdl } from "../../scripts/schema/csdl.js";
import { csdlNonClearable, renderNonClearableModule } from "../../scripts/schema/non-clearable.js";
import { allKinds, getKind } from "../../src/kinds/registry.js";

const csdlPath = DEFAULT_CSDL_PATH;

describe.skipIf(!existsSync(csdlPath))("non-clearable paths from the Graph CSDL (requires ../shared/corpus)", () => {
  // Read in a hook, not at collection, so a clone without ../shared never opens the file.
  let model: ReturnType<typeof parseCsdl> | undefined;
  beforeAll(() => {
    model = parseCsdl(readFileSync(csdlPath, "utf8"));
  });

  it("src/kinds/non-clearable.generated.ts is up to date with the CSDL and the descriptors", async () => {
    if (!model) throw new Error("no CSDL");
    const text = renderNonClearableModule(model, allKinds(), CSDL_SOURCE);
    await expect(text).toMatchFileSnapshot("../../src/kinds/non-clearable.generated.ts");
  });

  it("takes Nullable=\"false\" scalars through single-valued complex properties, not collections, defaults or server-managed ones", () => {
    if (!model) throw new Error("no CSDL");
    const authz = csdlNonClearable(model, getKind("authorizationPolicy"));
    expect(authz.paths).toEqual(expect.arrayContaining(["allowedToUseSSPR", "defaultUserRolePermissions.allowedToCreateApps", "defaultUserRolePermissions.allowedToReadOtherUsers"]));
    expect(authz.paths).not.toContain("defaultUserRolePermissions.permissionGrantPoliciesAssigned");
    // Nullable in the CSDL although Graph never clears them: the descriptor lists those.
    expect(authz.paths).not.toContain("defaultUserRolePermissions.allowedToCreateTenants");
    expect(authz.containers).toEqual(["defaultUserRolePermissions"]);
    const app = csdlNonClearable(model, getKind("application"));
    // Non-nullable, but in `defaults` (absent means false, which can be written) or collections.
    expect(app.paths).not.toContain("oauth2RequirePostResponse");
    expect(app.paths).not.toContain("tags");
    expect(csdlNonClearable(model, getKind("namedLocation")).paths).not.toContain("isTrusted");
    expect(csdlNonClearable(model, getKind("conditionalAccessPolicy")).paths).toContain("state");
  });

  it("every descriptor keepWhenAbsent path names a single-valued property in the CSDL, and none has a Graph default", () => {
    if (!model) throw new Error("no CSDL");
    const listed = allKinds().flatMap((d) => (d.keepWhenAbsent ?? []).map((path) => ({ d, path })));
    expect(listed.length).toBeGreaterThan(0);
    for (const { d, path } of listed) {
      let type = d.graphType;
      let found: { collection: boolean } | undefined;
      for (const segment of path.split(".")) {
        const property = allProperties(model, type).find((p) => p.name === segment);
        expect(property, `${d.kind}: ${path}`).toBeDefined();
        if (!property) break;
        found = property;
        type = property.type;
      }
      expect(found?.collection, `${d.kind}: ${path} is a collection`).toBe(false);
      expect(Object.keys(d.defaults ?? {}), `${d.kind}: ${path}`).not.toContain(path);
    }
  });
});
