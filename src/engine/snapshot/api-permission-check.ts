/**
 * `resource:<name>` and `permission:<value>` in documents resolve against the tenant's service
 * principals at plan time (README "Names for GUIDs"), so a typo stops `plan`, naming the file, line
 * and field, instead of failing apply. Resources named only in documents are looked up by display
 * name first.
 */
import type { EntraDocument, SourcedDocument } from "../../model/document.js";
import type { GraphGateway } from "../../graph/types.js";
import { permissionName, permissionSites } from "../../kinds/api-permissions.js";
import { allReferenceFields } from "../../kinds/normalize.js";
import { parseReference } from "../../kinds/reference-syntax.js";
import { mapStringsAtIndexed, parseIndexedPath } from "../../kinds/paths.js";
import type { KindDescriptor } from "../../kinds/types.js";
import type { DirectoryIndex } from "./directory-index.js";
import { lookUpResourcesByName } from "./service-principal-lookup.js";

const TYPE_NAMES: Readonly<Record<string, string>> = { Scope: "delegated permission (type: Scope)", Role: "application permission (type: Role)" };

function isSourced(doc: EntraDocument): doc is SourcedDocument {
  return typeof (doc as Partial<SourcedDocument>).file === "string" && typeof (doc as Partial<SourcedDocument>).positionOf === "function";
}

function where(doc: EntraDocument, path: string): string {
  if (!isSourced(doc)) return `${doc.kind}/${doc.name} spec.${path}`;
  const position = doc.positionOf(["spec", ...parseIndexedPath(path)]);
  return `${doc.file}${position ? `:${position.line}:${position.column}` : ""} spec.${path}`;
}

/** The problems, one message each (`file:line:column spec.path: …`); empty when every name resolves. */
export async function checkApiPermissions(
  gateway: GraphGateway,
  index: DirectoryIndex,
  documents: readonly EntraDocument[],
  descriptors: ReadonlyMap<string, KindDescriptor>,
): Promise<string[]> {
  const resources = new Map<string, { doc: EntraDocument; path: string }[]>();
  for (const doc of documents) {
    const descriptor = descriptors.get(doc.kind);
    if (!descriptor) continue;
    for (const field of allReferenceFields(descriptor)) {
      if (!field.targets.includes("resource")) continue;
      mapStringsAtIndexed(structuredClone(doc.spec), field.path, (value, _parent, path) => {
        const reference = parseReference(value);
        if (reference?.prefix === "resource") resources.set(reference.name, [...(resources.get(reference.name) ?? []), { doc, path }]);
        return value;
      });
    }
  }
  const unknown = [...resources.keys()].filter((name) => index.resourceState(name) === "unknown").sort();
  if (unknown.length > 0) await lookUpResourcesByName(gateway, index, unknown);

  const problems: string[] = [];
  for (const [name, sites] of resources) {
    const state = index.resourceState(name);
    if (state === "known") continue;
    const reason = state === "ambiguous"
      ? "two service principals of the tenant have this display name: write the resource's appId instead"
      : index.servicePrincipalsRefused
        ? "Graph refused to list the tenant's service principals (403): names of resources and permissions need Application.Read.All or Directory.Read.All"
        : "no service principal of the tenant has this display name (resource names are the service principal's displayName, e.g. resource:Microsoft Graph)";
    for (const site of sites) problems.push(`${where(site.doc, site.path)}: resource:${name}: ${reason}`);
  }
  for (const doc of documents) {
    const listPath = descriptors.get(doc.kind)?.apiPermissionsPath;
    if (listPath === undefined) continue;
    for (const site of permissionSites(doc.spec, listPath)) {
      const name = permissionName(site.value);
      if (name === undefined || index.permissionId(site.resource, site.type, name) !== undefined) continue;
      const published = index.permissionValues(site.resource, "Scope").length + index.permissionValues(site.resource, "Role").length;
      if (published === 0 && site.resource.startsWith("resource:") && index.resourceState(site.resource.slice("resource:".length)) !== "known") continue; // reported above
      const type = TYPE_NAMES[site.type] ?? `permission of type ${JSON.stringify(site.type)} (Graph's types are Scope and Role)`;
      const other = site.type === "Scope" ? "Role" : "Scope";
      const hint = index.permissionId(site.resource, other, name) !== undefined
        ? `; it is ${other === "Role" ? "an application permission" : "a delegated permission"} of it: set type: ${other}`
        : (() => {
            const close = index.permissionValues(site.resource, site.type).find((value) => value.toLowerCase() === name.toLowerCase());
            return close ? `; did you mean permission:${close}? (names are case-sensitive)` : "";
          })();
      problems.push(`${where(doc, site.path)}: permission:${name} is not a ${type} of ${site.resource}${hint}`);
    }
  }
  for (const doc of documents) problems.push(...appRoleProblems(doc, descriptors.get(doc.kind), index));
  return problems;
}

/** An app role written `permission:<value>` (an app role assignment's `appRoleId`) that its resource does not publish. */
function appRoleProblems(doc: EntraDocument, descriptor: KindDescriptor | undefined, index: DirectoryIndex): string[] {
  const field = descriptor?.appRoleField;
  const value = field === undefined ? undefined : doc.spec[field.property];
  const resource = field === undefined ? undefined : doc.spec[field.resource];
  const name = typeof value === "string" ? permissionName(value) : undefined;
  if (field === undefined || name === undefined || typeof resource !== "string") return [];
  if (index.permissionId(resource, "Role", name) !== undefined) return [];
  if (resource.startsWith("resource:") && index.resourceState(resource.slice("resource:".length)) !== "known") return []; // reported above
  const close = index.permissionValues(resource, "Role").find((v) => v.toLowerCase() === name.toLowerCase());
  const hint = close ? `; did you mean permission:${close}? (names are case-sensitive)` : "";
  return [`${where(doc, field.property)}: permission:${name} is not an app role of ${resource}${hint}`];
}
