import { describe, expect, it } from "vitest";
import { DirectoryIndex } from "../../src/engine/snapshot/directory-index.js";
import { normalizeLive } from "../../src/kinds/normalize.js";
import { getKind } from "../../src/kinds/registry.js";
import { toGraph } from "../../src/kinds/toGraph.js";
import { UnresolvedReferenceError } from "../../src/kinds/references.js";

// A small made-up API and its service principal: two app roles, one scope.
const API_APP_ID = "4a5b6c7d-0000-4000-8000-00000000a001";
const READ_ROLE = "4a5b6c7d-0000-4000-8000-00000000b001";
const WRITE_ROLE = "4a5b6c7d-0000-4000-8000-00000000b002";
const READ_SCOPE = "4a5b6c7d-0000-4000-8000-00000000c001";

function index(): DirectoryIndex {
  const directory = new DirectoryIndex();
  directory.addServicePrincipal({
    id: "4a5b6c7d-0000-4000-8000-00000000d001",
    appId: API_APP_ID,
    displayName: "Orders API",
    appRoles: [{ id: READ_ROLE, value: "Orders.Read.All" }, { id: WRITE_ROLE, value: "Orders.ReadWrite.All" }],
    oauth2PermissionScopes: [{ id: READ_SCOPE, value: "Orders.Read" }],
  });
  return directory;
}

const application = getKind("application");
const live = {
  id: "4a5b6c7d-0000-4000-8000-00000000e001",
  displayName: "Order desk",
  requiredResourceAccess: [{ resourceAppId: API_APP_ID.toUpperCase(), resourceAccess: [{ id: WRITE_ROLE, type: "Role" }, { id: READ_SCOPE, type: "Scope" }, { id: "4a5b6c7d-0000-4000-8000-00000000ffff", type: "Scope" }] }],
};

describe("API permissions by name", () => {
  it("export names the resource and its permissions by type; an id the resource does not publish stays", () => {
    const doc = normalizeLive(application, live, index());
    expect(doc.spec.requiredResourceAccess).toEqual([
      {
        resourceAppId: "resource:Orders API",
        resourceAccess: [
          { id: "4a5b6c7d-0000-4000-8000-00000000ffff", type: "Scope" },
          { id: "permission:Orders.Read", type: "Scope" },
          { id: "permission:Orders.ReadWrite.All", type: "Role" },
        ],
      },
    ]);
  });

  it("an id the named resource does not publish gets a comment saying so", () => {
    expect(normalizeLive(application, live, index()).annotations).toEqual({ "requiredResourceAccess[0].resourceAccess[0].id": "not a delegated permission of Orders API" });
  });

  it("apply writes the ids back, and an unknown name is an error naming its field", () => {
    const spec = normalizeLive(application, live, index()).spec;
    const body = toGraph(application, spec, index(), "create");
    expect(body.requiredResourceAccess).toEqual([
      { resourceAppId: API_APP_ID, resourceAccess: [{ id: "4a5b6c7d-0000-4000-8000-00000000ffff", type: "Scope" }, { id: READ_SCOPE, type: "Scope" }, { id: WRITE_ROLE, type: "Role" }] },
    ]);
    const wrongType = { displayName: "x", requiredResourceAccess: [{ resourceAppId: "resource:Orders API", resourceAccess: [{ id: "permission:Orders.Read", type: "Role" }] }] };
    expect(() => toGraph(application, wrongType, index(), "create")).toThrow(UnresolvedReferenceError);
    expect(() => toGraph(application, wrongType, index(), "create")).toThrow("requiredResourceAccess[0].resourceAccess[0].id: permission:Orders.Read does not name a known object");
  });

  it("two service principals sharing a display name are named by neither (their appIds stay)", () => {
    const directory = index();
    directory.addServicePrincipal({ id: "4a5b6c7d-0000-4000-8000-00000000d002", appId: "4a5b6c7d-0000-4000-8000-00000000a002", displayName: "Orders API" });
    expect(directory.resourceState("Orders API")).toBe("ambiguous");
    const doc = normalizeLive(application, live, directory);
    expect((doc.spec.requiredResourceAccess as { resourceAppId: string }[])[0]?.resourceAppId).toBe(API_APP_ID);
    // The permissions are still named (they are looked up by appId).
    expect(JSON.stringify(doc.spec)).toContain("permission:Orders.ReadWrite.All");
  });

  it("an API managed here (application:<name>) names its permissions from its own app roles and scopes", () => {
    const directory = new DirectoryIndex();
    const customApiAppId = "4a5b6c7d-0000-4000-8000-00000000a003";
    directory.add("application", "payments-api", "4a5b6c7d-0000-4000-8000-00000000e003", customApiAppId);
    directory.addPermissions(customApiAppId, [{ id: "4a5b6c7d-0000-4000-8000-00000000b003", value: "Payments.Approve" }], [{ id: "4a5b6c7d-0000-4000-8000-00000000c003", value: "Payments.Read" }]);
    const client = { displayName: "Payments desk", requiredResourceAccess: [{ resourceAppId: customApiAppId, resourceAccess: [{ id: "4a5b6c7d-0000-4000-8000-00000000b003", type: "Role" }] }] };
    const spec = normalizeLive(application, client, directory).spec;
    expect(spec.requiredResourceAccess).toEqual([{ resourceAppId: "application:payments-api", resourceAccess: [{ id: "permission:Payments.Approve", type: "Role" }] }]);
    expect(toGraph(application, spec, directory, "create").requiredResourceAccess).toEqual(client.requiredResourceAccess);
  });
});
