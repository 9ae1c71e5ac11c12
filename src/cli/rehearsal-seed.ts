/**
 * `sandbox --seed DIR` for a configuration repository (README "Several tenants", rehearsal): the
 * YAML documents, as one environment renders them, become the sandbox tenant's seed, so a pull
 * request can be planned and applied locally against the configuration it will meet. Each document
 * becomes a create (a PATCH for singletons) with a fresh id; references resolve to those ids;
 * members and owners are bound on create, policy assignments (`appliesTo`) POSTed on their targets;
 * a user referenced by UPN without a document gets a disabled placeholder account, and every UPN
 * domain is a verified domain of the sandbox.
 */
import { createPathOf, createsByPatch } from "../kinds/object-paths.js";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { loadConfig, resolveConfig } from "../config/index.js";
import type { ResolvedConfig } from "../config/index.js";
import { environmentView, renderForEnvironment } from "../documents/environment-view.js";
import { readConfigTree } from "../documents/read-tree.js";
import { parseReference } from "../kinds/reference-syntax.js";
import type { EntraDocument, JsonObject } from "../model/document.js";
import { validateDocuments } from "../engine/validate.js";
import { builtinAuthStrengthId } from "../kinds/builtinAuthStrengths.js";
import { builtinRoleId } from "../kinds/builtinRoles.js";
import { isKind } from "../model/kind.js";
import { comparableReferenceName, getKind, kindOfPrefix, prefixOfKind, referenceNameOf, sortByDependencies } from "../kinds/registry.js";
import type { NameResolver } from "../kinds/references.js";
import type { KindDescriptor } from "../kinds/types.js";
import { relationshipTargets, toGraph } from "../kinds/toGraph.js";
import type { SeedStep } from "../sandbox/seeds/seed-steps.js";
import { TENANT_ID_IN_PATH } from "../sandbox/seeds/seed-steps.js";
import { readEnvironmentIds } from "../state/environment-state.js";
import { UserError } from "./errors.js";
import { folderStreams, readStreamFiles, STREAM_CONTENT_TYPES } from "../engine/streams.js";

export interface DocumentSeed {
  steps: SeedStep[];
  /** `user:<upn>` references with no user document: created as disabled placeholders. */
  placeholders: string[];
  /** Documents that could not be turned into a request (an unresolvable reference), with why. */
  skipped: { file: string; reason: string }[];
  /** The configuration the documents were read with. */
  config: ResolvedConfig;
}

/** True when `dir` is a configuration repository (entra-gitops.yaml) or a folder of documents. */
export function isDocumentFolder(dir: string): boolean {
  if (existsSync(join(dir, "entra-gitops.yaml"))) return true;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return false;
  return readdirSync(dir).some((entry) => isKind(entry) && readdirSync(join(dir, entry)).some((file) => file.endsWith(".yaml")));
}

/** The documents of `dir` for environment `env`, validated, as seed steps. */
export async function documentSeed(dir: string, env: string | undefined): Promise<DocumentSeed> {
  const file = join(dir, "entra-gitops.yaml");
  const config = existsSync(file) ? loadConfig(file, env) : resolveConfig({ configDir: "." }, { rootDir: dir, ...(env ? { env } : {}) });
  const tree = await readConfigTree(config.configDirPath);
  const view = renderForEnvironment(tree.documents, environmentView(config));
  const diagnostics = [...tree.diagnostics, ...view.diagnostics, ...validateDocuments(view.documents, { graphVersions: config.graphVersion })];
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new UserError(`${errors.length} error(s) in ${config.configDirPath}; the sandbox was not started`, errors);
  // The environment's own ids, so its id map pairs the documents with the seeded objects.
  const known = await readEnvironmentIds(config).catch(() => new Map<string, string>());
  const seed = seedSteps(view.documents, known);
  return { ...seed, steps: [...seed.steps, ...(await streamSteps(view.documents, config, seed.skipped))], config };
}

/**
 * The images kept beside documents (company branding, `engine/streams.ts`), each a PUT of its
 * bytes after the objects exist, so a plan against the rehearsal compares them as against the
 * tenant. A file Graph would refuse is skipped, with why.
 */
async function streamSteps(documents: readonly EntraDocument[], config: ResolvedConfig, skipped: DocumentSeed["skipped"]): Promise<SeedStep[]> {
  const steps: SeedStep[] = [];
  for (const doc of documents) {
    const descriptor = getKind(doc.kind);
    const id = doc.spec[descriptor.naturalKey];
    if (!descriptor.streams || typeof id !== "string") continue;
    const read = await readStreamFiles(descriptor, doc.name, folderStreams(config.configDirPath, config.rootDir));
    for (const problem of read.problems) skipped.push({ file: `${doc.kind}/${doc.name}`, reason: problem });
    for (const file of read.files) {
      steps.push({ method: "PUT", path: descriptor.streams.path(id, file.property), version: descriptor.apiVersion, body: {}, content: { type: STREAM_CONTENT_TYPES[file.format], bytes: file.bytes }, label: file.path });
    }
  }
  return steps;
}

/** Pure: documents → ordered seed steps. */
export function seedSteps(documents: readonly EntraDocument[], known: ReadonlyMap<string, string> = new Map()): Omit<DocumentSeed, "config"> {
  const ids = new Map<string, string>();
  const appIds = new Map<string, string>();
  /** `prefix|comparable name` → id, for kinds referenced by a spec key (users by UPN). */
  const keyed = new Map<string, string>();
  const users = new Map<string, string>();
  for (const doc of documents) {
    const id = known.get(`${doc.kind}/${doc.name}`) ?? doc.id ?? randomUUID();
    ids.set(`${doc.kind}/${doc.name}`, id);
    if (doc.kind === "application") appIds.set(doc.name, typeof doc.spec.appId === "string" ? doc.spec.appId : randomUUID());
    const prefix = prefixOfKind(doc.kind);
    const key = getKind(doc.kind).reference?.key === undefined ? undefined : referenceNameOf(doc.kind, doc.name, doc.spec);
    if (prefix !== undefined && key !== undefined) keyed.set(`${prefix}|${comparableReferenceName(prefix, key)}`, id);
    if (prefix === "user" && key !== undefined) users.set(key.toLowerCase(), id);
  }
  // Users referenced by UPN that no document defines: placeholders, created first.
  const placeholders = new Map<string, string>();
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      const ref = parseReference(value);
      if (ref?.prefix === "user" && !users.has(ref.name.toLowerCase()) && !placeholders.has(ref.name.toLowerCase())) placeholders.set(ref.name.toLowerCase(), randomUUID());
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(visit);
  };
  for (const doc of documents) visit(doc.spec);
  const resolver: NameResolver = {
    resolveName(prefix, name, by) {
      if (prefix === "role") return builtinRoleId(name);
      if (prefix === "user") return users.get(name.toLowerCase()) ?? placeholders.get(name.toLowerCase());
      const kind = kindOfPrefix(prefix);
      if (kind === undefined) return undefined;
      if (getKind(kind).reference?.key !== undefined) return keyed.get(`${prefix}|${comparableReferenceName(prefix, name)}`);
      if (by === "appId") return kind === "application" ? appIds.get(name) : undefined;
      const id = ids.get(`${kind}/${name}`);
      if (id === undefined && prefix === "authenticationStrength") return builtinAuthStrengthId(name);
      return id;
    },
  };
  const upns = [...users.keys(), ...placeholders.keys()];
  const domains = [...new Set(upns.map((upn) => upn.split("@")[1] ?? "").filter((d) => d.length > 0))].sort();
  const steps: SeedStep[] = domains.map((domain) => ({ method: "POST", path: "/domains", body: { id: domain, isVerified: true }, label: `verified domain ${domain}` }));
  for (const [upn, id] of placeholders) {
    const nickname = (upn.split("@")[0] ?? "user").replace(/[^A-Za-z0-9._-]/g, "") || "user";
    steps.push({
      method: "POST",
      path: "/users",
      body: { id, accountEnabled: false, displayName: upn, userPrincipalName: upn, mailNickname: nickname, passwordProfile: { password: `${randomUUID()}Aa1!`, forceChangePasswordNextSignIn: true } },
      label: `placeholder user ${upn} (referenced, no document)`,
    });
  }
  const skipped: DocumentSeed["skipped"] = [];
  const order = sortByDependencies([...new Set(documents.map((d) => d.kind))]);
  for (const kind of order) {
    const descriptor = getKind(kind);
    for (const doc of documents.filter((d) => d.kind === kind)) {
      const label = `${kind}/${doc.name}`;
      let body: JsonObject;
      let binds: Record<string, string[]>;
      try {
        body = toGraph(descriptor, doc.spec, resolver, "create");
        binds = relationshipTargets(descriptor, doc.spec, resolver);
      } catch (error) {
        skipped.push({ file: label, reason: error instanceof Error ? error.message : String(error) });
        continue;
      }
      if (descriptor.singleton) {
        // A listed singleton (the organization) is written at its item path: the sandbox's tenant id.
        const path = descriptor.listedSingleton ? descriptor.itemPath(TENANT_ID_IN_PATH) : descriptor.itemPath("");
        steps.push({ method: "PATCH", path, version: descriptor.apiVersion, body, label });
        continue;
      }
      if (createsByPatch(descriptor, doc.spec)) {
        // Created by PATCH of its own path (the default company branding), its id the document's.
        const { [descriptor.naturalKey]: id, ...properties } = body;
        steps.push({ method: "PATCH", path: descriptor.itemPath(typeof id === "string" ? id : ""), version: descriptor.apiVersion, body: properties, label });
        continue;
      }
      const key = body[descriptor.naturalKey];
      if (descriptor.createByPut && typeof key === "string") {
        // Created by PUT at its own path (a partner's identity synchronization), without its key.
        const { [descriptor.naturalKey]: _key, ...properties } = body;
        steps.push({ method: "PUT", path: descriptor.itemPath(key), version: descriptor.apiVersion, body: properties, label });
        continue;
      }
      body.id = ids.get(label) ?? randomUUID();
      if (kind === "application") body.appId = appIds.get(doc.name) ?? randomUUID();
      const assignments = assignmentSteps(descriptor, doc, binds, String(body.id), label);
      for (const [property, targets] of Object.entries(binds)) {
        if (targets.length > 0) body[`${property}@odata.bind`] = targets.map((id) => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`);
      }
      steps.push({ method: "POST", path: createPathOf(descriptor, body), version: descriptor.apiVersion, body, label }, ...assignments);
    }
  }
  return { steps, placeholders: [...placeholders.keys()], skipped };
}

/**
 * Links Graph writes from the target's side (a policy's `appliesTo`, `Relationship.writtenFrom`):
 * one `$ref` POST on each target after the object is created, instead of a bind in its body. Taken
 * out of `binds`. A target named by GUID (no document, so not in the rehearsal tenant) is left out.
 */
function assignmentSteps(descriptor: KindDescriptor, doc: EntraDocument, binds: Record<string, string[]>, id: string, label: string): SeedStep[] {
  const steps: SeedStep[] = [];
  for (const relationship of descriptor.relationships ?? []) {
    if (!relationship.writtenFrom) continue;
    const value = doc.spec[relationship.property];
    const names = Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
    const targets = binds[relationship.property] ?? [];
    names.forEach((name, i) => {
      const prefix = parseReference(name)?.prefix;
      const side = prefix === undefined ? undefined : relationship.writtenFrom?.[prefix];
      const target = targets[i];
      if (!side || target === undefined) return;
      steps.push({
        method: "POST",
        path: `${side.collectionPath}/${target}/${side.segment}/$ref`,
        version: descriptor.apiVersion,
        body: { "@odata.id": `https://graph.microsoft.com/${descriptor.apiVersion}${descriptor.itemPath(id)}` },
        label: `${label} assigned to ${name}`,
      });
    });
    delete binds[relationship.property];
  }
  return steps;
}
