/**
 * Where the engine may send a Graph bearer token or a client credential (issue 11): the Graph and
 * Entra hosts of Microsoft's clouds (global, US Government L4/L5, China operated by 21Vianet; see
 * https://learn.microsoft.com/graph/deployments), loopback (the sandbox), and hosts the operator
 * names in `ENTRA_GITOPS_ALLOW_HOSTS`. The allow list is deliberately not a configuration key: a
 * pull request that edits `entra-gitops.yaml` must not be able to both point `graphUrl` at its own
 * host and allow it.
 */
import { MICROSOFT_AUTHORITY_HOSTS, MICROSOFT_GRAPH_HOSTS } from "./cloud.js";

export const ALLOW_HOSTS_VARIABLE = "ENTRA_GITOPS_ALLOW_HOSTS";

export type EndpointRole = "graphUrl" | "authorityHost";

/** `localhost`, `127.0.0.0/8` and `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Host names from `ENTRA_GITOPS_ALLOW_HOSTS` (comma or space separated, case-insensitive). */
export function allowedHostsFrom(env: NodeJS.ProcessEnv): Set<string> {
  const raw = env[ALLOW_HOSTS_VARIABLE] ?? "";
  return new Set(raw.split(/[\s,]+/).map((h) => h.trim().toLowerCase()).filter(Boolean));
}

/**
 * Why `url` may not be used as `role`, or undefined when it may. `source` says where the value came
 * from (an environment variable, or the configuration key), for the message.
 */
export function endpointRefusal(url: string, role: EndpointRole, source: string, allowed: ReadonlySet<string>): string | undefined {
  let hostname: string;
  try {
    hostname = new URL(url).hostname.toLowerCase();
  } catch {
    return `${source}: "${url}" is not a URL`;
  }
  const microsoft = role === "graphUrl" ? MICROSOFT_GRAPH_HOSTS : MICROSOFT_AUTHORITY_HOSTS;
  if (microsoft.has(hostname) || isLoopbackHost(hostname) || allowed.has(hostname)) return undefined;
  const kind = role === "graphUrl" ? "Microsoft Graph host" : "Microsoft Entra authority host";
  return (
    `${source}: ${hostname} is not a ${kind} of a Microsoft cloud (${[...microsoft].join(", ")}) nor loopback, ` +
    `so no token or credential is sent there; if you trust it, name it in ${ALLOW_HOSTS_VARIABLE}=${hostname}`
  );
}
