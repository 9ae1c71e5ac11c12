/**
 * `validate`: every document against its kind's JSON Schema, then the rules a schema cannot state:
 * references that point at no document, duplicate names (read-tree), names and file names
 * (read-document). Pure over documents (`validateDocuments`) with a thin file-reading shell
 * (`validatePaths`). Nothing stops at the first problem.
 */
import { lstat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Diagnostic, JsonValue, SourcedDocument } from "../model/document.js";
import type { Kind } from "../model/kind.js";
import type { KindDescriptor, ReferencePrefix } from "../kinds/types.js";
import { classifyReferenceValue } from "../kinds/reference-syntax.js";
import { readDocumentFile } from "../documents/read-document.js";
import { duplicateNames, readConfigTree } from "../documents/read-tree.js";
import { kindValidator } from "../documents/schema/validators.js";
import type { GraphVersions } from "../kinds/graph-versions.js";
import { builtinAuthStrengthId } from "../kinds/builtinAuthStrengths.js";
import { builtinRoleId } from "../kinds/builtinRoles.js";
import { AU_SCOPABLE_ROLES, isAuScopableRoleName } from "../kinds/au-scopable-roles.js";
import { allKinds, comparableReferenceName, getKind, kindOfPrefix, naturalKeyValue, prefixOfKind, referenceNameOf } from "../kinds/registry.js";
import { schemaDiagnostics } from "./validate-messages.js";
import { conditionalAccessDiagnostics } from "./validate-conditional-access.js";
import { onePerTargetDiagnostics } from "./validate-one-per-target.js";
import { heldLinkDiagnostics } from "./validate-held-links.js";
import { renderForEnvironment, withRenderedNotes } from "../documents/environment-view.js";
import type { EnvironmentView } from "../documents/environment-view.js";

/** The part of a descriptor that says where a document holds references. */
export type ReferenceKindInfo = Pick<KindDescriptor, "kind" | "references" | "relationships">;

export interface ValidateOptions {
  /** Kind info (references, relationships); default: the registry's descriptors. */
  kinds?: readonly ReferenceKindInfo[];
  /** Documents that references may point at besides the ones validated (e.g. the rest of the folder). */
  context?: readonly SourcedDocument[];
  /** References to objects that exist without a document; default: built-in roles and strengths. */
  isBuiltin?(prefix: ReferencePrefix, name: string): boolean;
  /** Graph version per kind (`graphVersion:` of the configuration): beta kinds accept beta properties. */
  graphVersions?: GraphVersions;
  /**
   * `validatePaths`: check the documents as each of these environments sees them (vars rendered,
   * other environments' documents set aside); none: as written.
   */
  environments?: readonly EnvironmentView[];
}

/** Built-in roles (`role:Global Administrator`) and authentication strengths exist in every tenant. */
export function isBuiltinReference(prefix: ReferencePrefix, name: string): boolean {
  if (prefix === "role") return builtinRoleId(name) !== undefined;
  if (prefix === "authenticationStrength") return builtinAuthStrengthId(name) !== undefined;
  return false;
}

interface ReferenceSite {
  value: string;
  path: (string | number)[];
  targets: readonly ReferencePrefix[];
  sentinels: readonly string[];
}

/** Every string at a dotted path (arrays traversed), with its indexed path from the document root. */
function valuesAt(spec: JsonValue, dotted: string): { value: string; path: (string | number)[] }[] {
  const out: { value: string; path: (string | number)[] }[] = [];
  const walk = (node: JsonValue | undefined, parts: string[], path: (string | number)[]): void => {
    if (node === undefined || node === null) return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, parts, [...path, i]));
      return;
    }
    if (parts.length === 0) {
      if (typeof node === "string") out.push({ value: node, path });
      return;
    }
    if (typeof node !== "object") return;
    const [head, ...rest] = parts as [string, ...string[]];
    walk(node[head], rest, [...path, head]);
  };
  walk(spec, dotted.split("."), ["spec"]);
  return out;
}

function referenceSites(doc: SourcedDocument, info: ReferenceKindInfo | undefined): ReferenceSite[] {
  if (!info) return [];
  const sites: ReferenceSite[] = [];
  // Templated fields too (a role assignment's scope, an admin consent reviewer's query): only their
  // `prefix:name` values are references, the others are kept as Graph wrote them.
  for (const field of info.references) {
    for (const v of valuesAt(doc.spec, field.path)) sites.push({ ...v, targets: field.targets, sentinels: field.sentinels ?? [] });
  }
  for (const rel of info.relationships ?? []) {
    for (const v of valuesAt(doc.spec, rel.property)) sites.push({ ...v, targets: rel.targets, sentinels: [] });
  }
  return sites;
}

/**
 * Where a reference could point: the documents of each kind by the name references use for them
 * (the document name, or the kind's reference key such as a user's UPN), as compared.
 */
function index(documents: readonly SourcedDocument[]): Map<Kind, Set<string>> {
  const byKind = new Map<Kind, Set<string>>();
  for (const doc of documents) {
    const names = byKind.get(doc.kind) ?? new Set<string>();
    const prefix = prefixOfKind(doc.kind);
    const referenceName = referenceNameOf(doc.kind, doc.name, doc.spec);
    names.add(doc.name);
    if (prefix !== undefined && referenceName !== undefined) names.add(comparableReferenceName(prefix, referenceName));
    byKind.set(doc.kind, names);
  }
  return byKind;
}

function referenceDiagnostics(doc: SourcedDocument, sites: readonly ReferenceSite[], known: Map<Kind, Set<string>>, options: ValidateOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const site of sites) {
    const value = classifyReferenceValue(site.value, site.sentinels);
    if (value.type !== "reference") continue;
    const { prefix, name } = value.reference;
    if (!site.targets.includes(prefix)) continue; // the schema already reports a wrong target
    if ((options.isBuiltin ?? isBuiltinReference)(prefix, name)) continue;
    // `resource:` names a service principal of the tenant (Microsoft Graph, …): plan checks it there.
    if (prefix === "resource") continue;
    const kind = kindOfPrefix(prefix);
    const pos = doc.positionOf(site.path) ?? { line: 1, column: 1 };
    if (kind === undefined) {
      const message = `${site.value}: not a built-in role (custom roles are written as their GUID)`;
      out.push({ severity: "error", file: doc.file, ...pos, path: pathText(site.path), message });
      continue;
    }
    // A kind referenced by a key Graph resolves (users by UPN) need not be managed here: its
    // references are checked only when the folder holds documents of the kind (plan looks them up).
    if (getKind(kind).reference?.lookUpByKey && !known.has(kind)) continue;
    const names = known.get(kind);
    if (names?.has(name) || names?.has(comparableReferenceName(prefix, name))) continue;
    out.push({
      severity: "error",
      file: doc.file,
      ...pos,
      path: pathText(site.path),
      message: `${site.value}: no document ${kind}/${name}.yaml`,
    });
  }
  return out;
}

function pathText(path: readonly (string | number)[]): string {
  let out = "";
  for (const s of path) out += typeof s === "number" ? `[${s}]` : out === "" ? s : `.${s}`;
  return out;
}

/**
 * Two documents of a kind with the same natural key (e.g. displayName): when neither has an id that
 * exists in the tenant, plan cannot tell which live object each one means. A warning, since Graph
 * allows it; plan refuses the ambiguous match.
 */
export function duplicateNaturalKeys(documents: readonly SourcedDocument[]): Diagnostic[] {
  const seen = new Map<string, SourcedDocument>();
  const out: Diagnostic[] = [];
  for (const doc of documents) {
    const descriptor = getKind(doc.kind);
    if (descriptor.singleton) continue;
    const value = naturalKeyValue(descriptor, doc.spec);
    if (value === undefined) continue;
    const key = `${doc.kind}\u0000${value.toLowerCase()}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, doc);
      continue;
    }
    if (first.id !== undefined && doc.id !== undefined) continue; // matched by id
    const property = descriptor.naturalKey.split("+")[0] ?? descriptor.naturalKey;
    const pos = doc.positionOf(["spec", property]) ?? { line: 1, column: 1 };
    out.push({
      severity: "warning",
      file: doc.file,
      ...pos,
      path: `spec.${property}`,
      message: `same ${descriptor.naturalKey} as ${doc.kind}/${first.name}: without ids, plan cannot tell which tenant object each document means`,
    });
  }
  return out;
}

/**
 * A role assignment scoped to an administrative unit for a built-in role Graph only assigns
 * tenant-wide (docs/graph-behaviour.md, "Sandbox behaviour table"): refused before anything is
 * written. Custom roles (GUIDs) are left to Graph.
 */
export function auScopeDiagnostics(doc: SourcedDocument): Diagnostic[] {
  if (doc.kind !== "roleAssignment") return [];
  const scope = doc.spec.directoryScopeId;
  const role = doc.spec.roleDefinitionId;
  if (typeof scope !== "string" || !/^(administrativeUnit:|\/administrativeUnits\/)/i.test(scope)) return [];
  if (typeof role !== "string" || !role.startsWith("role:")) return [];
  const name = role.slice("role:".length);
  if (builtinRoleId(name) === undefined || isAuScopableRoleName(name)) return [];
  const pos = doc.positionOf(["spec", "roleDefinitionId"]) ?? { line: 1, column: 1 };
  const allowed = Object.values(AU_SCOPABLE_ROLES).join(", ");
  return [{
    severity: "error",
    file: doc.file,
    ...pos,
    path: "spec.roleDefinitionId",
    message: `${role} cannot be assigned at administrative unit scope (${scope}): Graph refuses it. Assign it tenant-wide (directoryScopeId: /) or use a role that can be scoped to an administrative unit: ${allowed}`,
  }];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Identifier URIs Graph refuses whatever the tenant's domains (HostNameNotOnVerifiedDomain,
 * docs/graph-behaviour.md, "Sandbox behaviour table"): not `scheme://host…`, or a host that is
 * neither a domain name (verified domains have a dot) nor a GUID (`api://{appId}`,
 * `api://{tenantId}/…`), with no GUID in the path either. Whether a domain is verified is checked
 * by `plan`, which reads the tenant.
 */
export function identifierUriDiagnostics(doc: SourcedDocument): Diagnostic[] {
  const uris = doc.kind === "application" ? doc.spec.identifierUris : undefined;
  if (!Array.isArray(uris)) return [];
  const out: Diagnostic[] = [];
  uris.forEach((uri, i) => {
    if (typeof uri !== "string") return;
    const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)([^?#]*)/i.exec(uri);
    const host = match?.[2] ?? "";
    const pathGuid = (match?.[3] ?? "").split("/").some((segment) => GUID.test(segment));
    if (match && (host.includes(".") || GUID.test(host) || (match[1]?.toLowerCase() === "api" && pathGuid))) return;
    const pos = doc.positionOf(["spec", "identifierUris", i]) ?? { line: 1, column: 1 };
    out.push({
      severity: "error",
      file: doc.file,
      ...pos,
      path: `spec.identifierUris[${i}]`,
      message: `'${uri}' can never be on a verified domain of the tenant: Graph refuses it (HostNameNotOnVerifiedDomain). Use api://{appId}, or a host on one of the tenant's verified domains (https://api.contoso.com, api://contoso.com/name)`,
    });
  });
  return out;
}

/** Schema and reference diagnostics for documents already read (pure apart from loading schemas). */
export function validateDocuments(documents: readonly SourcedDocument[], options: ValidateOptions = {}): Diagnostic[] {
  const kinds = options.kinds ?? allKinds();
  const known = index([...documents, ...(options.context ?? [])]);
  const diagnostics: Diagnostic[] = [];
  for (const doc of documents) {
    const data = { kind: doc.kind, name: doc.name, ...(doc.id !== undefined ? { id: doc.id } : {}), spec: doc.spec };
    const validate = kindValidator(doc.kind, options.graphVersions?.[doc.kind], getKind(doc.kind).documentSchema);
    if (!validate(data)) diagnostics.push(...schemaDiagnostics(doc, data, validate.errors ?? []));
    diagnostics.push(...referenceDiagnostics(doc, referenceSites(doc, kinds.find((k) => k.kind === doc.kind)), known, options));
    diagnostics.push(...auScopeDiagnostics(doc), ...identifierUriDiagnostics(doc));
    diagnostics.push(...conditionalAccessDiagnostics(doc));
  }
  diagnostics.push(...duplicateNaturalKeys(documents), ...onePerTargetDiagnostics(documents), ...heldLinkDiagnostics(documents));
  return diagnostics;
}

export interface ValidateResult {
  documents: SourcedDocument[];
  diagnostics: Diagnostic[];
}

/**
 * Validate files and folders: a folder is a configuration folder (`<kind>/<name>.yaml` inside); a
 * file is one document, whose references are resolved against the folder it belongs to.
 */
export async function validatePaths(paths: readonly string[], options: ValidateOptions = {}): Promise<ValidateResult> {
  const documents: SourcedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const context: SourcedDocument[] = [];
  const roots = new Set<string>();
  for (const path of paths) {
    const info = await lstat(path).catch(() => undefined);
    if (!info) {
      diagnostics.push({ severity: "error", file: path, message: "no such file or folder" });
    } else if (info.isDirectory()) {
      const tree = await readConfigTree(path);
      documents.push(...tree.documents);
      diagnostics.push(...tree.diagnostics);
    } else {
      const result = await readDocumentFile(path);
      diagnostics.push(...result.diagnostics);
      if (result.document) documents.push(result.document);
      const root = resolve(dirname(dirname(path)));
      if (result.document && !roots.has(root)) {
        roots.add(root);
        context.push(...(await readConfigTree(root)).documents);
      }
    }
  }
  if (paths.length > 1) diagnostics.push(...duplicateNames(documents));
  const allContext = [...(options.context ?? []), ...context];
  const views = options.environments ?? [];
  if (views.length === 0) {
    diagnostics.push(...validateDocuments(documents, { ...options, context: allContext }));
  } else {
    diagnostics.push(...perEnvironment(views, (view) => {
      const rendered = renderForEnvironment(documents, view);
      const renderedContext = renderForEnvironment(allContext, view).documents;
      // A problem in a rendered value names the variable it came from.
      return [...rendered.diagnostics, ...withRenderedNotes(validateDocuments(rendered.documents, { ...options, context: renderedContext }), rendered.documents)];
    }));
  }
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = [d.file, d.line, d.column, d.path, d.message].join("\u0000");
    return seen.has(key) ? false : (seen.add(key), true);
  });
  unique.sort((a, b) => (a.file ?? "").localeCompare(b.file ?? "") || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { documents, diagnostics: unique };
}

/**
 * Diagnostics of every environment: one found in all of them is reported once; one found in some
 * only names them, so a value wrong in one tenant is not mistaken for a shared mistake.
 */
function perEnvironment(views: readonly EnvironmentView[], check: (view: EnvironmentView) => Diagnostic[]): Diagnostic[] {
  const found = new Map<string, { diagnostic: Diagnostic; environments: string[] }>();
  for (const view of views) {
    for (const d of check(view)) {
      const key = [d.file, d.line, d.column, d.path, d.message].join("\u0000");
      const entry = found.get(key) ?? { diagnostic: d, environments: [] };
      if (!entry.environments.includes(view.name ?? "")) entry.environments.push(view.name ?? "");
      found.set(key, entry);
    }
  }
  const out: Diagnostic[] = [];
  for (const { diagnostic, environments } of found.values()) {
    // A message that already names its environment (an undefined variable) needs no suffix.
    const some = views.length > 1 && environments.length < views.length && !environments.some((name) => diagnostic.message.includes(`environment "${name}"`));
    out.push(some ? { ...diagnostic, message: `${diagnostic.message} (environment ${environments.join(", ")})` } : diagnostic);
  }
  return out;
}
