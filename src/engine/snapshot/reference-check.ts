/**
 * Before anything is applied, `plan` resolves every reference and every unmanaged GUID of the
 * documents in scope, and the configured break-glass entries, against the target tenant (issue 11,
 * README "Safety"), and reports *all* that do not exist, each with its file, line and field:
 * source-tenant GUIDs copied into another environment fail here, together, not at apply one policy
 * at a time.
 *
 * - `user:<upn>`: the snapshot's users, else `GET /users/{upn}` (users the plan creates count).
 * - `prefix:name` of a kind the snapshot read: a document of the plan or an object read.
 * - A GUID in a directory-object field (users, groups, service principals, applications,
 *   administrative units): an object read, else `POST /directoryObjects/getByIds`, which leaves out
 *   ids that name nothing (docs/graph-behaviour.md §13).
 * - A GUID in a named-location field: a location read, else `GET …/namedLocations/{id}`.
 * A GUID the same object already holds in the tenant passes (the plan does not introduce it).
 * Not judged here: appIds (`by: appId`, global to Microsoft's cloud), templated values, custom role
 * ids, and references to kinds outside the snapshot that no document of the plan names.
 */
import type { BreakGlassSite } from "../../config/break-glass-sites.js";
import { isGuid, parseReference, PREFIX_KIND } from "../../documents/references.js";
import type { Diagnostic, EntraDocument, JsonObject, SourcePosition } from "../../documents/types.js";
import type { GraphGateway } from "../../graph/types.js";
import { builtinAuthStrengthId, builtinAuthStrengthName } from "../../kinds/builtinAuthStrengths.js";
import { builtinRoleName } from "../../kinds/builtinRoles.js";
import type { Kind } from "../../kinds/kind-names.js";
import { allReferenceFields } from "../../kinds/normalize.js";
import { mapStringsAtIndexed } from "../../kinds/paths.js";
import { getKind } from "../../kinds/registry.js";
import type { ReferencePrefix } from "../../kinds/types.js";
import type { DirectoryIndex } from "./directory-index.js";

const DIRECTORY_PREFIXES: ReadonlySet<ReferencePrefix> = new Set(["user", "group", "servicePrincipal", "application", "administrativeUnit"]);
const CHUNK = 1000;

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
}

interface Positioned {
  file?: unknown;
  positionOf?: unknown;
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
 * entry that does not exist in the tenant, as diagnostics; looks up what the snapshot did not read.
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
        return value;
      });
    }
    if (ids.size > 0) held.set(`${doc.kind}/${doc.name}`, ids);
  }
  const planned = new Set(documents.map((d) => `${d.kind}/${d.name}`));
  // A GUID that is the id of a document of the plan names an object the plan keeps, restores
  // (soft-deleted, with its id) or re-creates (restore repoints its references).
  const plannedIds = new Set(documents.flatMap((d) => (d.id ? [d.id.toLowerCase()] : [])));
  const plannedUpns = new Set(documents.filter((d) => d.kind === "user" && typeof d.spec.userPrincipalName === "string").map((d) => (d.spec.userPrincipalName as string).toLowerCase()));
  const users = new Map<string, Site[]>();
  const named = new Map<string, Site[]>();
  const directoryIds = new Map<string, Site[]>();
  const locationIds = new Map<string, Site[]>();
  const missing: Site[] = [];
  const push = (map: Map<string, Site[]>, key: string, site: Site): void => {
    const list = map.get(key) ?? [];
    list.push(site);
    map.set(key, list);
  };

  const consider = (value: string, targets: readonly ReferencePrefix[], site: Site): void => {
    const reference = parseReference(value);
    if (reference) {
      if (reference.prefix === "user") push(users, reference.name.toLowerCase(), site);
      else if (reference.prefix === "role") return;
      else if (reference.prefix === "authenticationStrength" && builtinAuthStrengthId(reference.name) !== undefined) return;
      else push(named, value, site);
      return;
    }
    if (!isGuid(value)) return;
    const id = value.toLowerCase();
    if (index.knows(id) || plannedIds.has(id) || held.get(site.owner)?.has(id)) return;
    if (targets.includes("role") && builtinRoleName(id) !== undefined) return;
    if (targets.includes("authenticationStrength") && builtinAuthStrengthName(id) !== undefined) return;
    if (targets.some((t) => DIRECTORY_PREFIXES.has(t))) push(directoryIds, id, site);
    else if (targets.includes("namedLocation")) {
      if (readKinds.has("namedLocation")) missing.push(site);
      else push(locationIds, id, site);
    }
  };

  for (const doc of documents) {
    const owner = `${doc.kind}/${doc.name}`;
    for (const field of allReferenceFields(getKind(doc.kind))) {
      if (field.by === "appId" || field.template !== undefined) continue;
      const sentinels = new Set((field.sentinels ?? []).map((s) => s.toLowerCase()));
      mapStringsAtIndexed(structuredClone(doc.spec) as JsonObject, field.path, (value, parent, path) => {
        if (field.where && parent[field.where.property] !== field.where.equals) return value;
        if (sentinels.has(value.toLowerCase())) return value;
        const { file, position } = positionIn(doc, path);
        consider(value, field.targets, { value, path: `spec.${path}`, owner, ...(file ? { file } : {}), ...(position ? { position } : {}) });
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
    });
  }

  // Named references: a document of the plan, or an object the snapshot read.
  for (const [value, sites] of named) {
    const reference = parseReference(value);
    const kind = reference ? PREFIX_KIND[reference.prefix] : undefined;
    if (!reference || !kind) continue;
    if (planned.has(`${kind}/${reference.name}`)) continue;
    if (!readKinds.has(kind)) continue;
    if (index.resolveName(reference.prefix, reference.name, "id") === undefined) missing.push(...sites);
  }
  // Users by UPN: read, planned, or looked up one by one.
  for (const [upn, sites] of users) {
    if (plannedUpns.has(upn) || index.resolveName("user", upn, "id") !== undefined) continue;
    const user = await gateway.get(`/users/${encodeURIComponent(upn)}`, { query: { $select: "id,userPrincipalName" } });
    if (user && typeof user.id === "string") index.addUser(user.id, typeof user.userPrincipalName === "string" ? user.userPrincipalName : upn);
    else missing.push(...sites);
  }
  // Directory GUIDs: getByIds answers only the ids that exist.
  const ids = [...directoryIds.keys()];
  const found = new Set<string>();
  for (let start = 0; start < ids.length; start += CHUNK) {
    const answer = await gateway.post("/directoryObjects/getByIds", { ids: ids.slice(start, start + CHUNK) }, { query: { $select: "id" } });
    const value = Array.isArray(answer.value) ? answer.value : [];
    for (const item of value) {
      if (item && typeof item === "object" && !Array.isArray(item) && typeof item.id === "string") found.add(item.id.toLowerCase());
    }
  }
  for (const [id, sites] of directoryIds) if (!found.has(id)) missing.push(...sites);
  for (const [id, sites] of locationIds) {
    const location = await gateway.get(`/identity/conditionalAccess/namedLocations/${encodeURIComponent(id)}`, { query: { $select: "id" } });
    if (!location) missing.push(...sites);
  }

  return missing
    .map((site): Diagnostic => ({
      severity: "error",
      ...(site.file ? { file: site.file } : {}),
      ...(site.position ? { line: site.position.line, column: site.position.column } : {}),
      path: site.path,
      message: `${site.value} does not exist in the tenant (referenced by ${site.owner})`,
    }))
    .sort((a, b) => (a.file ?? "").localeCompare(b.file ?? "") || (a.line ?? 0) - (b.line ?? 0) || (a.path ?? "").localeCompare(b.path ?? ""));
}
