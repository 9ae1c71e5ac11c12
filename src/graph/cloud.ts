/**
 * Which Graph endpoint and authority the engine talks to (docs/design.md §5, docs/graph-behaviour.md §14): the token
 * scope follows the Graph resource of a Microsoft cloud; any other host (the sandbox, a proxy)
 * gets the public-cloud scope, instance discovery off, and is added to the client's customHosts.
 */

export const DEFAULT_GRAPH_URL = "https://graph.microsoft.com";

/**
 * Graph hosts of the Microsoft clouds: global, US Government L4 and L5, China (21Vianet), per
 * https://learn.microsoft.com/graph/deployments; `canary` is Microsoft's own pre-release ring.
 * (Microsoft Cloud Deutschland, graph.microsoft.de, closed in 2021.)
 */
export const MICROSOFT_GRAPH_HOSTS: ReadonlySet<string> = new Set([
  "graph.microsoft.com",
  "canary.graph.microsoft.com",
  "graph.microsoft.us",
  "dod-graph.microsoft.us",
  "microsoftgraph.chinacloudapi.cn",
]);

/** Entra authority hosts of the Microsoft clouds (the same page; login.microsoft.com and login.windows.net are global aliases). */
export const MICROSOFT_AUTHORITY_HOSTS: ReadonlySet<string> = new Set([
  "login.microsoftonline.com",
  "login.microsoft.com",
  "login.windows.net",
  "login.microsoftonline.us",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
]);

export interface GraphEndpoint {
  /** Origin without a trailing slash, e.g. `https://graph.microsoft.us`. */
  baseUrl: string;
  /** `host[:port]` as it appears in URLs. */
  host: string;
  /** Whether the host is a Microsoft Graph cloud host. */
  microsoft: boolean;
  /** OAuth scope for the token: `<graph resource>/.default`. */
  scope: string;
  /** Hosts the Graph client must also send the token to (non-Microsoft hosts only). */
  customHosts: Set<string>;
}

/** Parses `ENTRA_GITOPS_GRAPH_URL` (or the config's `graphUrl`). Only https is accepted. */
export function graphEndpoint(graphUrl: string = DEFAULT_GRAPH_URL): GraphEndpoint {
  let url: URL;
  try {
    url = new URL(graphUrl);
  } catch {
    throw new Error(`invalid Graph URL "${graphUrl}": expected e.g. https://graph.microsoft.com`);
  }
  if (url.protocol !== "https:") throw new Error(`Graph URL must use https: ${url.origin}`);
  const hostname = url.hostname.toLowerCase();
  const microsoft = MICROSOFT_GRAPH_HOSTS.has(hostname);
  const baseUrl = `${url.protocol}//${url.host}`;
  return {
    baseUrl,
    host: url.host,
    microsoft,
    scope: microsoft && hostname !== "canary.graph.microsoft.com" ? `${baseUrl}/.default` : `${DEFAULT_GRAPH_URL}/.default`,
    // The Graph client compares hostnames without the port (its isCustomHost strips it).
    customHosts: microsoft ? new Set() : new Set([hostname]),
  };
}

/** Whether an authority host (AZURE_AUTHORITY_HOST) is one of Microsoft's; else instance discovery must be off. */
export function isMicrosoftAuthority(authorityHost: string | undefined): boolean {
  if (authorityHost === undefined) return true;
  try {
    return MICROSOFT_AUTHORITY_HOSTS.has(new URL(authorityHost).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/** The Entra authority of a national cloud's Graph host, when AZURE_AUTHORITY_HOST is not set. */
const AUTHORITY_BY_GRAPH_HOST: Readonly<Record<string, string>> = {
  "graph.microsoft.us": "https://login.microsoftonline.us",
  "dod-graph.microsoft.us": "https://login.microsoftonline.us",
  "microsoftgraph.chinacloudapi.cn": "https://login.chinacloudapi.cn",
};

export function authorityForGraph(endpoint: GraphEndpoint): string | undefined {
  return AUTHORITY_BY_GRAPH_HOST[new URL(endpoint.baseUrl).hostname];
}
