/**
 * `/domains`: the tenant's domains (id = the domain name). The initial `<tenant>.onmicrosoft.com`
 * is verified; a domain a client adds (`POST /domains`) is unverified, since the sandbox has no DNS
 * to check a verification record against; seeds (system rights) may add verified ones.
 * Application identifier URIs must be on a verified domain (docs/graph-behaviour.md, "Sandbox
 * behaviour table").
 */
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { badRequest, invalidPropertyValue } from "../core/errors.js";
import { requireBody } from "../core/crud.js";
import { defineResource } from "../core/resource.js";
import { contextUrl } from "../odata/shape.js";

const READ = ["Domain.Read.All", "Domain.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
const WRITE = ["Domain.ReadWrite.All"];

function domainEntity(name: string, verified: boolean, initial: boolean): Entity {
  return {
    id: name,
    authenticationType: "Managed",
    availabilityStatus: null,
    isAdminManaged: true,
    isDefault: initial,
    isInitial: initial,
    isRoot: true,
    isVerified: verified,
    passwordNotificationWindowInDays: null,
    passwordValidityPeriodInDays: null,
    supportedServices: verified ? ["Email", "OfficeCommunicationsOnline"] : [],
    state: null,
  };
}

/** The names of the tenant's verified domains, lower case. */
export function verifiedDomains(ctx: RequestContext): string[] {
  return ctx.store.list("domains").filter((d) => d["isVerified"] === true).map((d) => d.id.toLowerCase());
}

export const domains = defineResource({
  collection: "domains",
  entityType: "microsoft.graph.domain",
  resourceName: "Domain",
  paths: [{ path: "/domains" }],
  permissions: { read: READ, write: WRITE },
  methods: { create: false, update: false, delete: false },
  initial: (ctx) => [{ ...domainEntity(ctx.core.domain.toLowerCase(), true, true) }],
  create: (_ctx, body, id) => ({ ...body, id }),
  routes: [
    {
      method: "POST",
      path: "/domains",
      permissions: WRITE,
      handler: (ctx) => {
        const body = requireBody(ctx.request.body);
        const name = typeof body["id"] === "string" ? body["id"].toLowerCase() : "";
        if (!/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/.test(name)) throw invalidPropertyValue("id", "Domain");
        if (ctx.store.get("domains", name)) throw badRequest("Another object with the same value for property id already exists.");
        const entity = domainEntity(name, ctx.system && body["isVerified"] === true, false);
        ctx.store.put("domains", entity);
        if (!ctx.system) {
          ctx.audit({ activity: "Add unverified domain", category: "DirectoryManagement", operationType: "Add", targets: [{ id: name, displayName: name, type: "Other", modifiedProperties: [] }] });
        }
        return { status: 201, body: { "@odata.context": contextUrl(ctx, "domains", undefined, true), ...entity } };
      },
    },
  ],
});
