/**
 * Graph refuses an application identifier URI that is not on a verified domain of the tenant
 * (400 `HostNameNotOnVerifiedDomain`, docs/graph-behaviour.md, "Sandbox behaviour table"), unless it
 * uses the default scheme with the app's own id (`api://{appId}`, `api://{tenantId}/…`,
 * `api://…/{appId}`). Plan reads the tenant's verified domains (`GET /domains`) and stops, naming the
 * file and field, before anything is written. URIs the tenant already has are left alone, as Graph
 * checks only the ones a write adds.
 */
import type { EntraDocument, JsonObject } from "../../model/document.js";
import { GraphError } from "../../graph/errors.js";
import type { GraphGateway } from "../../graph/types.js";
import type { DirectoryIndex } from "./directory-index.js";

export interface IdentifierUriCheck {
  /** Each refused URI: `application/NAME (FILE) spec.identifierUris[i]: …`. */
  problems: string[];
  /** Why the check could not run (the domains read was refused), else undefined. */
  skipped?: string;
}

/** Whether Graph accepts this identifier URI for an app with `appId` in a tenant with these verified domains. */
export function identifierUriAllowed(uri: string, verified: readonly string[], tenantId: string, appId: string | undefined): boolean {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)([^?#]*)/i.exec(uri);
  if (!match) return false;
  const scheme = (match[1] ?? "").toLowerCase();
  const host = (match[2] ?? "").toLowerCase();
  const segments = (match[3] ?? "").toLowerCase().split("/").filter(Boolean);
  if (verified.some((d) => host === d || host.endsWith(`.${d}`))) return true;
  if (scheme !== "api") return false;
  const app = appId?.toLowerCase();
  return host === tenantId.toLowerCase() || (app !== undefined && (host === app || segments.includes(app)));
}

export async function checkIdentifierUris(
  gateway: GraphGateway,
  desired: readonly EntraDocument[],
  live: readonly { kind: string; spec: JsonObject }[],
  index: DirectoryIndex,
  tenantId: string,
  fileOf: (doc: EntraDocument) => string,
): Promise<IdentifierUriCheck> {
  const existing = new Set(live.filter((o) => o.kind === "application").flatMap((o) => (Array.isArray(o.spec.identifierUris) ? o.spec.identifierUris : [])).map((u) => String(u).toLowerCase()));
  const added = desired
    .filter((d) => d.kind === "application" && Array.isArray(d.spec.identifierUris))
    .flatMap((doc) => (doc.spec.identifierUris as unknown[]).map((uri, i) => ({ doc, uri: String(uri), i })))
    .filter((a) => !existing.has(a.uri.toLowerCase()));
  if (added.length === 0) return { problems: [] };
  let verified: string[];
  try {
    verified = (await gateway.list("/domains")).filter((d) => d.isVerified === true).map((d) => String(d.id).toLowerCase());
  } catch (error) {
    if (error instanceof GraphError && error.status === 403) return { problems: [], skipped: "identifierUris were not checked against the tenant's verified domains: reading /domains needs Domain.Read.All (or Directory.Read.All)" };
    throw error;
  }
  const problems = added
    .filter(({ doc, uri }) => !identifierUriAllowed(uri, verified, tenantId, index.lookup("application", doc.name)?.appId))
    .map(({ doc, uri, i }) => `${doc.kind}/${doc.name} (${fileOf(doc)}) spec.identifierUris[${i}]: '${uri}' is not on a verified domain of the tenant (${verified.join(", ")}) and is not api://{appId}: Graph refuses it (HostNameNotOnVerifiedDomain)`);
  return { problems };
}
