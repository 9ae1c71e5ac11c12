import { createHash } from "node:crypto";
import { join, relative } from "node:path";
import type { ResolvedConfig } from "../config/index.js";
import { breakGlassSites } from "../config/break-glass-sites.js";
import type { EntraDocument, JsonObject } from "../model/document.js";
import { GraphError } from "../graph/errors.js";
import type { GraphGateway } from "../graph/types.js";
import type { GuardContext, GuardOverrides, Runner } from "../guards/types.js";
import { address } from "../model/kind.js";
import type { Address, Kind, ObjectId } from "../model/kind.js";
import { normalizeDocument, normalizeLive } from "../kinds/normalize.js";
import { allKinds } from "../kinds/registry.js";
import type { KindDescriptor } from "../kinds/types.js";
import { canonicalJson } from "../model/json.js";
import { attachmentNote, readAttachments } from "./attachments.js";
import { readLiveStreams, readStreamFiles, withStreamDigests, type StreamSource } from "./streams.js";
import { planImpact } from "./impact/plan-impact.js";
import { computePlan } from "./plan/compute-plan.js";
import type { DeletedItem, LiveObject, Plan } from "../model/plan.js";
import { betaCheckWarnings } from "./snapshot/beta-only.js";
import { describeFailures, takeSnapshot } from "./snapshot/snapshot.js";
import { checkApiPermissions } from "./snapshot/api-permission-check.js";
import { checkIdentifierUris } from "./snapshot/identifier-uris.js";
import { MissingReferencesError, missingReferences } from "./snapshot/reference-check.js";
import type { PartialRead, Snapshot } from "./snapshot/snapshot.js";
import type { NameSet } from "../kinds/naming.js";

export interface PlanRequest {
  config: ResolvedConfig;
  descriptors: readonly KindDescriptor[];
  gateway: GraphGateway;
  /** The desired documents (working tree or a revision). */
  desired: readonly EntraDocument[];
  gitRevision: string | null;
  graphUrl: string;
  allowDelete?: boolean;
  overrides?: GuardOverrides;
  /** Compute the Conditional Access impact into the plan (`plan` does; apply and sync need not). */
  impact?: boolean;
  /** ISO time recorded in the plan (default now). */
  createdAt?: string;
  /**
   * An incremental drift (engine/sync/drift-scope.ts): read only these objects, and compare only
   * them with `desired` (the documents they may change).
   */
  partial?: PartialRead & { reservedNames: ReadonlyMap<Kind, NameSet>; namesUnread: (reference: string) => boolean };
  /**
   * A full drift read by export (cli/drift-export.ts): the tenant as that export read it, and the
   * addresses to compare with `desired`; every other object matched its document byte for byte.
   */
  read?: { snapshot: Snapshot; compared: ReadonlySet<string>; namesUnread: (reference: string) => boolean };
  /**
   * Where the files beside the documents are (the working tree's folder, the revision the
   * documents were read from, a rollback's result): stream properties (company branding images)
   * are then compared by SHA-256, read from the tenant and from the files (`engine/streams.ts`).
   * Without it neither side holds them, so nothing about them is planned.
   */
  streamFiles?: StreamSource;
  /**
   * The secret version markers last applied in the environment (`state/secret-versions.ts`):
   * `plan` and `apply` pass them, so a raised marker is a rotation; drift and sync do not (a
   * rotation not applied yet is not a difference of the tenant's).
   */
  secretVersions?: ReadonlyMap<string, JsonObject>;
}

export interface PlanOutcome {
  plan: Plan;
  snapshot: Snapshot;
}

/**
 * The thin impure shell around `computePlan` (ARCHITECTURE.md): read the tenant, the soft-deleted items
 * that documents could be restored from, and who is running; then the pure plan.
 */
export async function makePlan(request: PlanRequest): Promise<PlanOutcome> {
  const { config, descriptors, gateway } = request;
  const snapshot =
    request.read?.snapshot ??
    (await takeSnapshot(gateway, descriptors, {
      existingNames: namesById(request.desired),
      scope: new Set(config.kinds),
      ...(request.partial ? { partial: request.partial, reservedNames: request.partial.reservedNames } : {}),
    }));
  const compared = request.read?.compared;
  if (snapshot.failed.size > 0) {
    throw new Error(`cannot plan: the tenant could not be read completely (${describeFailures(snapshot.failed)})`);
  }
  const byKind = new Map(descriptors.map((d) => [d.kind, d]));
  // Every reference, unmanaged GUID and break-glass entry resolves in this tenant, or plan stops
  // here naming all that do not, each with its file, line and field (reference-check.ts).
  const referenceProblems = await missingReferences(gateway, snapshot.index, request.desired.filter((doc) => byKind.has(doc.kind)), new Set(snapshot.read), breakGlassSites(config), snapshot.documents);
  const missing = referenceProblems.filter((d) => d.severity === "error");
  if (missing.length > 0) throw new MissingReferencesError(missing);
  // appIds Graph may take (another tenant's application) or that plan could not check: warnings.
  const referenceWarnings = referenceProblems.filter((d) => d.severity !== "error").map((d) => `${d.file ?? "?"}:${d.line ?? 1}:${d.column ?? 1}: ${d.path ?? ""}: ${d.message}`);
  // API permissions by name (resource:…, permission:…) resolve against the tenant's service principals.
  const permissionProblems = await checkApiPermissions(gateway, snapshot.index, request.desired.filter((doc) => byKind.has(doc.kind)), byKind);
  if (permissionProblems.length > 0) throw new Error(`cannot plan: ${permissionProblems.join("; ")}`);
  let desired = request.desired
    .filter((doc) => byKind.has(doc.kind))
    .map((doc) => ({ ...doc, spec: normalizeDocument(byKind.get(doc.kind) as KindDescriptor, doc.spec, snapshot.index) }));
  let actual: LiveObject[] = (compared ? snapshot.documents.filter((doc) => compared.has(address(doc.kind, doc.name))) : snapshot.documents).map((doc) => ({ kind: doc.kind, name: doc.name, id: (doc.id ?? doc.kind) as ObjectId, spec: doc.spec }));
  if (request.streamFiles && descriptors.some((d) => d.streams)) {
    const compared = await withStreams(gateway, byKind, desired, actual, request.streamFiles);
    if (compared.problems.length > 0) throw new Error(`cannot plan: ${compared.problems.join("; ")}`);
    desired = compared.desired;
    actual = compared.actual;
  }
  const identity = await gateway.whoAmI();
  // Identifier URIs Graph would refuse (not on a verified domain) stop the plan before any write.
  const uriCheck = byKind.has("application")
    ? await checkIdentifierUris(gateway, request.desired.filter((doc) => doc.kind === "application"), actual, snapshot.index, identity.tenantId, (doc) => relative(config.rootDir, join(config.configDirPath, doc.kind, `${doc.name}.yaml`)))
    : { problems: [] };
  if (uriCheck.problems.length > 0) throw new Error(`cannot plan: ${uriCheck.problems.join("; ")}`);
  const deletedWarnings: string[] = [];
  const deleted = await readDeletedItems(gateway, descriptors, desired, actual, snapshot, deletedWarnings);
  const guards = guardContext(config, request, runnerOf(identity, snapshot));
  const computed = computePlan(desired, actual, {
    descriptors: allKinds(),
    scope: descriptors.map((d) => d.kind),
    source: {
      gitRevision: request.gitRevision,
      configDigest: configDigest(config, request.desired),
      tenantId: identity.tenantId,
      graphUrl: request.graphUrl,
      ...(config.environment ? { environment: config.environment.name } : {}),
      createdAt: request.createdAt ?? new Date().toISOString(),
    },
    prune: config.prune,
    ignoreDifferences: config.ignoreDifferences,
    deleted,
    reportOnlyNewPolicies: config.reportOnlyNewPolicies,
    guards,
    ...(request.partial ? { namesUnread: request.partial.namesUnread } : request.read ? { namesUnread: request.read.namesUnread } : {}),
    ...(request.secretVersions ? { secretVersions: request.secretVersions } : {}),
  });
  // A create sends the files kept beside its document (an agreement's PDFs): each must be there.
  const attachmentProblems = await noteAttachments(computed, byKind, config.configDirPath, config.rootDir);
  if (attachmentProblems.length > 0) throw new Error(`cannot plan: ${attachmentProblems.join("; ")}`);
  const impact = request.impact ? planImpact(computed.changes, actual, { guards }) : undefined;
  const plan = impact ? { ...computed, impact } : computed;
  // Fields Graph v1.0 does not return are not "unchanged": say so for every object that has them.
  const hidden = betaCheckWarnings(snapshot.betaChecks, snapshot.documents);
  for (const warning of hidden) plan.diagnostics.push({ severity: "warning", code: "hidden-beta-fields", ...(warning.address ? { address: warning.address as Address } : {}), message: warning.message });
  plan.summary.warnings += hidden.length;
  for (const message of deletedWarnings) plan.diagnostics.push({ severity: "warning", code: "deleted-items-unreadable", message });
  plan.summary.warnings += deletedWarnings.length;
  for (const message of referenceWarnings) plan.diagnostics.push({ severity: "warning", code: "app-id-unchecked", message });
  plan.summary.warnings += referenceWarnings.length;
  if (uriCheck.skipped) {
    plan.diagnostics.push({ severity: "warning", code: "identifier-uris-unchecked", message: uriCheck.skipped });
    plan.summary.warnings += 1;
  }
  if (hidden.length > 0) plan.summary.hidden = hidden.length;
  return { plan, snapshot };
}

/**
 * Both sides with their stream digests (`engine/streams.ts`): each live object's streams read from
 * Graph, each document's from the files beside it (problems name the file).
 */
async function withStreams<D extends { kind: Kind; name: string; spec: JsonObject }>(
  gateway: GraphGateway,
  byKind: ReadonlyMap<Kind, KindDescriptor>,
  desired: readonly D[],
  actual: readonly LiveObject[],
  files: StreamSource,
): Promise<{ desired: D[]; actual: LiveObject[]; problems: string[] }> {
  const problems: string[] = [];
  const live = await Promise.all(
    actual.map(async (object) => {
      const descriptor = byKind.get(object.kind);
      return descriptor?.streams ? { ...object, spec: withStreamDigests(object.spec, await readLiveStreams(gateway, descriptor, object.id)) } : object;
    }),
  );
  const documents = await Promise.all(
    desired.map(async (doc) => {
      const descriptor = byKind.get(doc.kind);
      if (!descriptor?.streams) return doc;
      const read = await readStreamFiles(descriptor, doc.name, files);
      problems.push(...read.problems);
      return { ...doc, spec: withStreamDigests(doc.spec, new Map(read.files.map((f) => [f.property, f]))) };
    }),
  );
  return { desired: documents, actual: live, problems };
}

/** Reads the attachments of every create of the plan, notes each file on its change, returns the problems. */
async function noteAttachments(plan: Plan, byKind: ReadonlyMap<Kind, KindDescriptor>, configDir: string, rootDir: string): Promise<string[]> {
  const problems: string[] = [];
  for (const change of plan.changes) {
    const descriptor = byKind.get(change.kind);
    if (change.action !== "create" || !descriptor?.attachments) continue;
    const read = await readAttachments(descriptor, change.name, change.after, configDir, rootDir);
    problems.push(...read.problems);
    change.notes.push(...read.files.map((file) => attachmentNote(descriptor, file)));
  }
  return problems;
}

function namesById(documents: readonly EntraDocument[]): Map<Kind, Map<string, string>> {
  const names = new Map<Kind, Map<string, string>>();
  for (const doc of documents) {
    if (!doc.id) continue;
    let byId = names.get(doc.kind);
    if (!byId) names.set(doc.kind, (byId = new Map()));
    byId.set(doc.id, doc.name);
  }
  return names;
}

/** Digest of the configuration and every desired document: apply refuses a plan whose inputs changed. */
export function configDigest(config: ResolvedConfig, desired: readonly EntraDocument[]): string {
  const hash = createHash("sha256");
  const { file: _file, rootDir: _root, configDirPath: _path, ...settings } = config;
  hash.update(canonicalJson(JSON.parse(JSON.stringify(settings)) as JsonObject));
  const docs = [...desired].sort((a, b) => (`${a.kind}/${a.name}` < `${b.kind}/${b.name}` ? -1 : 1));
  for (const doc of docs) hash.update(`\n${doc.kind}/${doc.name}/${doc.id ?? ""}\n${canonicalJson(doc.spec)}`);
  return `sha256:${hash.digest("hex")}`;
}

/** Soft-deleted objects whose id a document still carries: those can be restored with their id. */
async function readDeletedItems(
  gateway: GraphGateway,
  descriptors: readonly KindDescriptor[],
  desired: readonly EntraDocument[],
  actual: readonly LiveObject[],
  snapshot: Snapshot,
  warnings: string[],
): Promise<DeletedItem[]> {
  const liveIds = new Set(actual.map((o) => o.id.toLowerCase()));
  const items: DeletedItem[] = [];
  for (const descriptor of descriptors) {
    if (!descriptor.softDelete) continue;
    const wanted = desired.filter((d) => d.kind === descriptor.kind && d.id && !liveIds.has(d.id.toLowerCase()));
    if (wanted.length === 0) continue;
    const ids = new Set(wanted.map((d) => (d.id as string).toLowerCase()));
    let list: JsonObject[];
    try {
      list = await gateway.list(descriptor.softDelete.listPath, { version: descriptor.softDelete.apiVersion ?? descriptor.apiVersion });
    } catch (error) {
      // Beta endpoints a tenant may refuse (app-only tokens, docs/graph-behaviour.md §8): carry on without them.
      if (!(error instanceof GraphError) || ![400, 403, 404].includes(error.status)) throw error;
      const objects = wanted.map((d) => `${d.kind}/${d.name}`).join(", ");
      warnings.push(`the deleted ${descriptor.title}s could not be read (${error.status} ${error.code}: ${error.graphMessage}): restore will re-create ${objects} with a new id instead of restoring it`);
      continue;
    }
    for (const raw of list) {
      const id = typeof raw.id === "string" ? raw.id : undefined;
      if (!id || !ids.has(id.toLowerCase())) continue;
      const spec = normalizeLive(descriptor, raw, snapshot.index).spec;
      items.push({
        kind: descriptor.kind,
        id: id as ObjectId,
        ...(typeof raw.deletedDateTime === "string" ? { deletedDateTime: raw.deletedDateTime } : {}),
        spec,
      });
    }
  }
  return items;
}

export function runnerOf(identity: Awaited<ReturnType<GraphGateway["whoAmI"]>>, snapshot: Snapshot): Runner | undefined {
  if (identity.userPrincipalName) {
    return { type: "user", identifiers: [`user:${identity.userPrincipalName}`], memberOf: [] };
  }
  if (!identity.appId) return undefined;
  const identifiers = [identity.appId];
  const spName = snapshot.index.resolveId(identity.appId, ["servicePrincipal"], "appId");
  if (spName && "prefix" in spName) identifiers.push(`servicePrincipal:${spName.name}`);
  return { type: "application", identifiers };
}

export function guardContext(config: ResolvedConfig, request: Pick<PlanRequest, "allowDelete" | "overrides">, runner: Runner | undefined, live?: readonly LiveObject[]): GuardContext {
  return {
    ...(live ? { live } : {}),
    allowDelete: request.allowDelete ?? false,
    maxDeletes: config.maxDeletes,
    protected: config.protected,
    breakGlass: config.breakGlass,
    ...(runner ? { runner } : {}),
    ...(request.overrides ? { overrides: request.overrides } : {}),
  };
}
