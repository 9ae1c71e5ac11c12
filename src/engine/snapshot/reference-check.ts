/**
 * Before anything is applied, `plan` resolves every reference and every unmanaged GUID of the
 * documents in scope, and the configured break-glass entries, against the target tenant (issue 11,
 * README "Safety"), and reports *all* that do not exist, each with its file, line and field:
 * source-tenant GUIDs copied into another environment fail here, together, not at apply one policy
 * at a time.
 *
 * - A reference by a key Graph resolves (`reference.lookUpByKey`, users: `user:<upn>`): the objects
 *   read, else `GET itemPath(key)` (`/users/{upn}`; objects the plan creates count).
 * - `prefix:name` of a kind the snapshot read: a document of the plan or an object read.
 * - A GUID in a directory-object field (users, groups, service principals, applications,
 *   administrative units): an object read, else `POST /directoryObjects/getByIds`, which leaves out
 *   ids that name nothing (docs/graph-behaviour.md §13); refused (no Directory.Read.All), a look-up
 *   per type with the identity's permissions (directory-lookup.ts), and an id it does not find is
 *   a warning, not missing.
 * - A GUID in a named-location field: a location read, else `GET …/namedLocations/{id}`.
 * - A GUID in a terms of use field: an agreement read when the opt-in `agreement` kind is in
 *   scope; otherwise it is not checked (reading agreements needs Agreement.Read.All).
 * - A GUID in a role field that is no built-in role (kinds/builtinRoles.ts, the permissions
 *   reference's full list): a custom role, `GET …/roleDefinitions/{id}` (a custom role's id is its
 *   template id). Without the permission to read role definitions (403) it is a warning saying so.
 * - An appId (`by: appId` fields): a service principal read, managed or planned, else
 *   `GET /servicePrincipals?$filter=appId in (…)`. Conditional Access names an application only
 *   through its service principal in the tenant and Graph refuses an appId without one, first-party
 *   apps included (docs/graph-behaviour.md §11): an error (the field's `appIdMustExist:
 *   "servicePrincipal"`). An API's `knownClientApplications` must be applications registered in the
 *   tenant (`appIdMustExist: "application"`): an error. Elsewhere (an application's
 *   `requiredResourceAccess` and `preAuthorizedApplications`, a service principal's `appId`,
 *   cross-tenant targets) the appId may be an application of another tenant, which plan cannot
 *   see: a warning. Without Application.Read.All (403) each appId check is a warning saying so.
 *   Sentinels (All, None, Office365, MicrosoftAdminPortals, …) are not appIds.
 * - `prefix:name` of a kind outside the snapshot that no document of the plan names: an error that
 *   names the kind to bring into scope (plan cannot resolve it, and apply would fail).
 * A GUID the same object already holds in the tenant passes (the plan does not introduce it).
 * Not judged here: `resource:` names (api-permission-check.ts). Templated values are judged in each
 * environment's rendered view (the caller passes rendered documents); a diagnostic about a value
 * rendered from `${name}` names its template, environment and variable (`templateOf`).
 */
import type { BreakGlassSite } from "../../config/break-glass-sites.js";
import { renderedNote } from "../../documents/environment-view.js";
import { isGuid, parseReference } from "../../kinds/reference-syntax.js";
import type { Diagnostic, EntraDocument, JsonObject, RenderedFrom, SourcePosition } from "../../model/document.js";
import { GraphError } from "../../graph/errors.js";
import type { GraphGateway } from "../../graph/types.js";
import { builtinAuthStrengthId, builtinAuthStrengthName } from "../../kinds/builtinAuthStrengths.js";
import { builtinRoleName } from "../../kinds/builtinRoles.js";
import type { Kind } from "../../model/kind.js";
import { allReferenceFields } from "../../kinds/normalize.js";
import { mapStringsAtIndexed } from "../../kinds/paths.js";
import { comparableReferenceName, getKind, kindOfPrefix, prefixOfKind, referenceNameOf } from "../../kinds/registry.js";
import type { ReferenceField, ReferencePrefix } from "../../kinds/types.js";
import type { DirectoryIndex } from "./directory-index.js";
import { lookUpDirectoryObjects } from "./directory-lookup.js";
import { lookUpServicePrincipals } from "./service-principal-lookup.js";


/** Whether `prefix:` references point at directory objects (ids `getByIds` finds). */
function isDirectoryPrefix(prefix: ReferencePrefix): boolean {
  const kind = kindOfPrefix(prefix);
  return kind !== undefined && getKind(kind).directoryObject === true;
}

/** One or more references name objects the target tenant does not have; each diagnostic names one. */
export class MissingReferencesError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(`cannot plan: ${diagnostics.length} reference(s) name objects that do not exist in the target tenant (listed above); nothing was applied`);
    this.name = "MissingReferencesError";
  }
}

interface Site {
  value: string;
  /** Where it is written, for the diagnostic. */
  file?: string;
  position?: SourcePosition;
  path: string;
  owner: string;
  /** What is wrong, when it is not "does not exist in the tenant". */
  problem?: string;
  /** The `${name}` template the value was rendered from, in an environment's view. */
  from?: RenderedFrom;
}

interface Positioned {
  file?: unknown;
  positionOf?: unknown;
  templateOf?: unknown;
}

/** The template a rendered field came from (documents/environment-view.ts), if any. */
function templateIn(doc: EntraDocument, path: string): RenderedFrom | undefined {
  const templateOf = (doc as EntraDocument & Positioned).templateOf;
  return typeof templateOf === "function" ? (templateOf as (path: string) => RenderedFrom | undefined)(path) : undefined;
}

function positionIn(doc: EntraDocument, indexedPath: string): { file?: string; position?: SourcePosition } {
  const sourced = doc as EntraDocument & Positioned;
  const file = typeof sourced.file === "string" ? sourced.file : undefined;
  if (typeof sourced.positionOf !== "function") return file ? { file } : {};
  const segments: (string | number)[] = ["spec"];
  for (const part of indexedPath.split(".")) {
    const match = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!match) return file ? { file } : {};
    segments.push(match[1] as string);
    for (const index of (match[2] ?? "").matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  const position = (sourced.positionOf as (path: readonly (string | number)[]) => SourcePosition | undefined)(segments);
  return { ...(file ? { file } : {}), ...(position ? { position } : {}) };
}

/**
 * Every reference of `documents` (the plan's desired documents in scope) and every break-glass
 * entry that does not exist in the tenant, as error diagnostics, and the appIds Graph may take but
 * plan cannot see, as warnings; looks up what the snapshot did not read.
 */
export async function missingReferences(
  gateway: GraphGateway,
  index: DirectoryIndex,
  documents: readonly EntraDocument[],
  readKinds: ReadonlySet<Kind>,
  breakGlass: readonly BreakGlassSite[],
  live: readonly EntraDocument[] = [],
): Promise<Diagnostic[]> {
  // A GUID the object already holds in the tenant (a deleted group a policy still names) is not
  // introduced by the plan: Graph keeps such ids, and the plan does not write an unchanged field.
  const held = new Map<string, Set<string>>();
  for (const doc of live) {
    const ids = new Set<string>();
    for (const field of allReferenceFields(getKind(doc.kind))) {
      mapStringsAtIndexed(structuredClone(doc.spec) as JsonObject, field.path, (value) => {
        if (isGuid(value)) ids.add(value.toLowerCase());
        else if (field.by === "appId" && value.startsWith("application:")) ids.add(value);
        return value;
      });
    }
    if (ids.size > 0) held.set(`${doc.kind}/${doc.name}`, ids);
  }
  const planned = new Set(documents.map((d) => `${d.kind}/${d.name}`));
  // A GUID that is the id of a document of the plan names an object the plan keeps, restores
  // (soft-deleted, with its id) or re-creates (restore repoints its references).
  const plannedIds = new Set(documents.flatMap((d) => (d.id ? [d.id.toLowerCase()] : [])));
  /** `prefix:name` (name as compared) of every document of the plan, by the name references use. */
  const plannedKeys = new Set<string>();
  for (const d of documents) {
    const prefix = prefixOfKind(d.kind);
    const name = referenceNameOf(d.kind, d.name, d.spec);
    if (prefix !== undefined && name !== undefined) plannedKeys.add(`${prefix}:${comparableReferenceName(prefix, name)}`);
  }
  /** References by a key Graph resolves (users by UPN), by `prefix:name` as compared. */
  const byKey = new Map<string, Site[]>();
  const named = new Map<string, Site[]>();
  const directoryIds = new Map<string, Site[]>();
  const locationIds = new Map<string, Site[]>();
  const roleIds = new Map<string, Site[]>();
  /** appIds a Conditional Access policy names (a service principal is required) and the others. */
  const policyAppIds = new Map<string, Site[]>();
  /** `application:<name>` a Conditional Access policy names: its service principal must exist or be planned. */
  const policyApps = new Map<string, Site[]>();
  const otherAppIds = new Map<string, Site[]>();
  /** appIds that must be applications registered in this tenant (an API's knownClientApplications). */
  const tenantApplications = new Map<string, Site[]>();
  // A service principal document of the plan with a GUID appId creates (or keeps) that service principal.
  const plannedServicePrincipalsOf = new Set(documents.filter((d) => d.kind === "servicePrincipal" && typeof d.spec.appId === "string").map((d) => d.spec.appId as string));
  const plannedAppIds = new Set(documents.filter((d) => d.kind === "servicePrincipal" && typeof d.spec.appId === "string" && isGuid(d.spec.appId)).map((d) => (d.spec.appId as string).toLowerCase()));
  const missing: Site[] = [];
  const warnings: Site[] = [];
  const push = (map: Map<string, Site[]>, key: string, site: Site): void => {
    const list = map.get(key) ?? [];
    list.push(site);
    map.set(key, list);
  };

  const consider = (value: string, targets: readonly ReferencePrefix[], site: Site): void => {
    const reference = parseReference(value);
    if (reference) {
      const kind = kindOfPrefix(reference.prefix);
      if (kind !== undefined && getKind(kind).reference?.lookUpByKey) push(byKey, `${reference.prefix}:${comparableReferenceName(reference.prefix, reference.name)}`, site);
      else if (reference.prefix === "role") return;
      else if (reference.prefix === "authenticationStrength" && builtinAuthStrengthId(reference.name) !== undefined) return;
      else push(named, value, site);
      return;
    }
    if (!isGuid(value)) return;
    const id = value.toLowerCase();
    if (index.knows(id) || plannedIds.has(id) || held.get(site.owner)?.has(id)) return;
    if (targets.includes("role")) {
      // A built-in role exists in every tenant; any other role id must be one of the tenant's custom roles.
      if (builtinRoleName(id) === undefined) push(roleIds, id, site);
      return;
    }
    if (targets.includes("authenticationStrength") && builtinAuthStrengthName(id) !== undefined) return;
    if (targets.some((t) => isDirectoryPrefix(t))) push(directoryIds, id, site);
    else if (targets.includes("namedLocation")) {
      if (readKinds.has("namedLocation")) missing.push(site);
      else push(locationIds, id, site);
    }
    // A terms of use GUID: an agreement read (the opt-in kind in scope); out of scope it is not checked (README "Terms of use").
    else if (targets.includes("agreement") && readKinds.has("agreement")) missing.push(site);
  };

  const considerAppId = (value: string, ownerKind: Kind, mustExist: ReferenceField["appIdMustExist"], site: Site): void => {
    const reference = parseReference(value);
    if (reference) {
      // `resource:` names are checked with the permissions (api-permission-check.ts).
      if (reference.prefix === "application" || reference.prefix === "servicePrincipal") push(named, value, site);
      if (reference.prefix === "application" && mustExist === "servicePrincipal" && !plannedServicePrincipalsOf.has(value) && !held.get(site.owner)?.has(value)) push(policyApps, value, site);
      return;
    }
    if (!isGuid(value)) return;
    const id = value.toLowerCase();
    if (held.get(site.owner)?.has(id)) return;
    if (mustExist === "application") {
      push(tenantApplications, id, site);
      return;
    }
    // A service principal document's own appId names the application it is created for: not exempt.
    if (plannedAppIds.has(id) && ownerKind !== "servicePrincipal") return;
    push(mustExist === "servicePrincipal" ? policyAppIds : otherAppIds, id, site);
  };

  for (const doc of documents) {
    const owner = `${doc.kind}/${doc.name}`;
    for (const field of allReferenceFields(getKind(doc.kind))) {
      if (field.template !== undefined) continue;
      const sentinels = new Set((field.sentinels ?? []).map((s) => s.toLowerCase()));
      mapStringsAtIndexed(structuredClone(doc.spec) as JsonObject, field.path, (value, parent, path) => {
        if (field.where && parent[field.where.property] !== field.where.equals) return value;
        if (sentinels.has(value.toLowerCase())) return value;
        const { file, position } = positionIn(doc, path);
        const from = templateIn(doc, `spec.${path}`);
        const site: Site = { value, path: `spec.${path}`, owner, ...(file ? { file } : {}), ...(position ? { position } : {}), ...(from ? { from } : {}) };
        if (field.by === "appId") considerAppId(value, doc.kind, field.appIdMustExist, site);
        else consider(value, field.targets, site);
        return value;
      });
    }
  }
  for (const entry of breakGlass) {
    consider(entry.value, [entry.field === "accounts" ? "user" : "group"], {
      value: entry.value,
      path: entry.path,
      owner: "the configuration",
      ...(entry.file ? { file: entry.file } : {}),
      ...(entry.position ? { position: entry.position } : {}),
      ...(entry.template !== undefined ? { from: { template: entry.template, ...(entry.environment !== undefined ? { environment: entry.environment } : {}) } } : {}),
    });
  }

  // Named references: a document of the plan, or an object the snapshot read.
  for (const [value, sites] of named) {
    const reference = parseReference(value);
    const kind = reference ? kindOfPrefix(reference.prefix) : undefined;
    if (!reference || !kind) continue;
    if (planned.has(`${kind}/${reference.name}`)) continue;
    if (index.resolveName(reference.prefix, reference.name, "id") !== undefined) continue;
    if (readKinds.has(kind)) {
      missing.push(...sites);
      continue;
    }
    // A kind the plan did not read: nothing to resolve the name against, and apply would fail on it.
    const problem = `${value} cannot be resolved: ${kind} is not in scope; add ${kind} to kinds: in the configuration (with a document ${kind}/${reference.name}.yaml, or the object in the tenant)`;
    missing.push(...sites.map((site) => ({ ...site, problem })));
  }
  // References by a key Graph resolves (users by UPN): read, planned, or looked up one by one.
  // An identity that may not read them (or directory objects, below) gets warnings: plan cannot
  // tell a missing object from one it may not see, so it never claims the reference is missing.
  const refusedKinds = new Set<string>();
  for (const [value, sites] of byKey) {
    const reference = parseReference(value);
    const kind = reference ? kindOfPrefix(reference.prefix) : undefined;
    const key = kind === undefined ? undefined : getKind(kind).reference?.key;
    if (!reference || kind === undefined || key === undefined) continue;
    if (plannedKeys.has(value) || index.resolveName(reference.prefix, reference.name, "id") !== undefined) continue;
    if (!refusedKinds.has(kind)) {
      try {
        const found = await gateway.get(getKind(kind).itemPath(encodeURIComponent(reference.name)), { query: { $select: `id,${key}` } });
        if (found && typeof found.id === "string") index.add(reference.prefix, typeof found[key] === "string" ? found[key] : reference.name, found.id);
        else missing.push(...sites);
        continue;
      } catch (error) {
        if (!(error instanceof GraphError && error.status === 403)) throw error;
        refusedKinds.add(kind);
      }
    }
    const permissions = getKind(kind).permissions.read.join(" or ");
    warnings.push(...sites.map((site) => ({ ...site, problem: `${site.value}: plan could not check it: Graph refused to read ${kind} objects (${permissions} is missing)` })));
  }
  // Directory GUIDs: getByIds answers only the ids that exist.
  const ids = [...directoryIds.keys()];
  // getByIds (or, refused, a look-up per type with the identity's permissions: directory-lookup.ts).
  const { found, complete } = ids.length > 0 ? await lookUpDirectoryObjects(gateway, index, ids) : { found: new Set<string>(), complete: true };
  const directoryRefused = !complete;
  for (const [id, sites] of directoryIds) {
    if (found.has(id)) continue;
    if (directoryRefused) warnings.push(...sites.map((site) => ({ ...site, problem: `${site.value}: plan could not check it: Graph refused POST /directoryObjects/getByIds (Directory.Read.All is missing) and no user, group or service principal readable with this identity's permissions has this id` })));
    else missing.push(...sites);
  }
  for (const [id, sites] of roleIds) {
    try {
      const role = await gateway.get(`/roleManagement/directory/roleDefinitions/${encodeURIComponent(id)}`, { query: { $select: "id" } });
      if (!role) missing.push(...sites);
    } catch (error) {
      if (!(error instanceof GraphError && error.status === 403)) throw error;
      const problem = `${id}: plan could not check it: Graph refused to read role definitions (RoleManagement.Read.Directory is missing)`;
      warnings.push(...sites.map((site) => ({ ...site, problem })));
    }
  }
  for (const [id, sites] of locationIds) {
    const location = await gateway.get(`/identity/conditionalAccess/namedLocations/${encodeURIComponent(id)}`, { query: { $select: "id" } });
    if (!location) missing.push(...sites);
  }

  // An application a policy names by name: known to the tenant, it needs its service principal there
  // (or a servicePrincipal document of the plan); created by this plan, it needs that document.
  const missingNames = new Set(missing.map((site) => site.value));
  for (const [value, sites] of policyApps) {
    if (missingNames.has(value)) continue;
    const appId = index.resolveName("application", value.slice("application:".length), "appId");
    if (appId !== undefined && isGuid(appId)) {
      if (plannedAppIds.has(appId.toLowerCase())) continue;
      const existing = policyAppIds.get(appId.toLowerCase());
      if (existing) existing.push(...sites.map((site) => ({ ...site, problem: `${value} (appId ${appId}) has no service principal in the tenant` })));
      else policyAppIds.set(appId.toLowerCase(), sites.map((site) => ({ ...site, problem: `${value} (appId ${appId}) has no service principal in the tenant` })));
      continue;
    }
    const problem = `${value} is created by this plan without a service principal, and Graph refuses a Conditional Access policy naming an application without one: add a servicePrincipal document with appId: ${value}`;
    missing.push(...sites.map((site) => ({ ...site, problem })));
  }
  // appIds: the service principals the snapshot did not read, looked up 15 a request.
  const unknownAppIds = [...policyAppIds.keys()].filter((id) => !index.hasServicePrincipalFor(id)).concat([...otherAppIds.keys()].filter((id) => !index.knowsAppId(id)));
  if (unknownAppIds.length > 0 && !index.servicePrincipalsRefused) await lookUpServicePrincipals(gateway, index, [...new Set(unknownAppIds)]);
  const unchecked = "plan could not check it: Graph refused to list service principals (Application.Read.All is missing)";
  for (const [id, sites] of policyAppIds) {
    if (index.hasServicePrincipalFor(id)) continue;
    if (index.servicePrincipalsRefused) {
      warnings.push(...sites.map((site) => ({ ...site, problem: `${site.value}: ${unchecked}` })));
      continue;
    }
    const problem = `${id} has no service principal in the tenant, and Graph refuses a Conditional Access policy naming it (first-party apps too get theirs on first use): create it first (a servicePrincipal document with appId: ${id}, or POST /servicePrincipals) or remove the id`;
    missing.push(...sites.map((site) => ({ ...site, problem: site.problem ? `${site.problem}, and Graph refuses a Conditional Access policy naming it: add a servicePrincipal document with appId: ${site.value}` : problem })));
  }
  // knownClientApplications: "both the client and the web API app must be registered in the same
  // tenant" (docs/graph-behaviour.md §11); the applications in scope were all read.
  for (const [id, sites] of tenantApplications) {
    if (index.hasApplicationFor(id)) continue;
    const problem = readKinds.has("application")
      ? `${id} is no application registered in this tenant: knownClientApplications bundles consent only for a client registered in the same tenant as the API`
      : `${id}: plan could not check it: application is not in scope`;
    (readKinds.has("application") ? missing : warnings).push(...sites.map((site) => ({ ...site, problem })));
  }
  for (const [id, sites] of otherAppIds) {
    if (index.knowsAppId(id)) continue;
    const problem = index.servicePrincipalsRefused
      ? `${id}: ${unchecked}`
      : `${id} names no application or service principal in the tenant: Graph takes it only if it is an application of another tenant; check the id`;
    warnings.push(...sites.map((site) => ({ ...site, problem })));
  }

  const diagnostic =
    (severity: "error" | "warning") =>
    (site: Site): Diagnostic => ({
      severity,
      ...(site.file ? { file: site.file } : {}),
      ...(site.position ? { line: site.position.line, column: site.position.column } : {}),
      path: site.path,
      message: `${site.problem ?? `${site.value} does not exist in the tenant`}${renderedNote(site.from)} (referenced by ${site.owner})`,
    });
  return [...missing.map(diagnostic("error")), ...warnings.map(diagnostic("warning"))]
    .sort((a, b) => (a.file ?? "").localeCompare(b.file ?? "") || (a.line ?? 0) - (b.line ?? 0) || (a.path ?? "").localeCompare(b.path ?? ""));
}
