import type { GraphRequest, GraphResponse } from "../../types.js";
import type { TenantCore } from "./tenant-core.js";
import { RequestContext } from "./context.js";
import { createEntity, requireBody } from "./crud.js";
import { notFound } from "./errors.js";

const KEY_SEGMENT = /^([A-Za-z]+)\(([A-Za-z]+)=(?:'([^']*)'|([^')]*))\)$/;

/**
 * OData alternate keys such as `/applications(appId='…')`, `/servicePrincipals(appId='…')` and
 * `/applications(uniqueName='…')`: rewritten to the canonical `/{collection}/{id}` path. A PATCH
 * with `Prefer: create-if-missing` on an upsert key creates the object (201), as Graph does.
 */
export function resolveAlternateKey(core: TenantCore, request: GraphRequest, system: boolean): GraphRequest | GraphResponse {
  const segments = request.path.split("/").filter(Boolean);
  const index = segments.findIndex((s) => KEY_SEGMENT.test(s));
  if (index < 0) return request;
  const match = KEY_SEGMENT.exec(segments[index] ?? "");
  if (!match) return request;
  const [, name = "", key = "", quoted, bare] = match;
  const value = quoted ?? bare ?? "";
  const collectionPath = `/${[...segments.slice(0, index), name].join("/")}`.toLowerCase();
  const def = [...core.resources.values()].find(
    (d) => d.paths.some((p) => p.path.toLowerCase() === collectionPath) && (d.alternateKeys ?? []).some((k) => k.toLowerCase() === key.toLowerCase()),
  );
  if (!def) return request;
  const keyName = (def.alternateKeys ?? []).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
  const entity = core.store.list(def.collection).find((e) => String(e[keyName] ?? "").toLowerCase() === value.toLowerCase());
  const rest = segments.slice(index + 1);
  if (entity) {
    return { ...request, path: `/${[...segments.slice(0, index), name, entity.id, ...rest].join("/")}` };
  }
  const prefer = (request.headers["prefer"] ?? "").toLowerCase();
  const upsert = (def.upsertKeys ?? []).some((k) => k.toLowerCase() === key.toLowerCase());
  if (request.method === "PATCH" && rest.length === 0 && upsert && prefer.includes("create-if-missing")) {
    const ctx = new RequestContext(core, request, system);
    if (!system) ctx.requirePermission(def.permissions.create ?? def.permissions.write);
    return createEntity(ctx, def, { ...requireBody(request.body), [keyName]: value }).response;
  }
  throw notFound(`${keyName}='${value}'`);
}
