/**
 * Resource-unit cost of a request in Graph's identity-and-access throttling model (docs/graph-behaviour.md §4):
 * GET users / applications 2, GET groups/{id}/members 3, transitiveMembers 5, getByIds 5 (2 with
 * $select), other GET 1; writes 1 RU + 1 write. `$select` −1, `$expand` +1, `$top` < 20 −1; floor 1.
 */

export interface RequestCost {
  resourceUnits: number;
  /** Counts against the write buckets. */
  write: boolean;
  /** Conditional Access / Identity Protection: its own 1 request/s tenant bucket, no Retry-After. */
  conditionalAccess: boolean;
}

const CONDITIONAL_ACCESS = /^\/(identity\/conditionalaccess|identityprotection)(\/|$)/i;

export function isConditionalAccessPath(path: string): boolean {
  return CONDITIONAL_ACCESS.test(path);
}

export function requestCost(method: string, path: string, query: URLSearchParams): RequestCost {
  const conditionalAccess = isConditionalAccessPath(path);
  const segments = path.split("/").filter((s) => s !== "").map((s) => s.toLowerCase());
  const first = segments[0] ?? "";
  const last = segments[segments.length - 1] ?? "";
  const getByIds = method === "POST" && first === "directoryobjects" && last === "getbyids";
  if (method !== "GET" && !getByIds) return { resourceUnits: 1, write: true, conditionalAccess };

  let cost = 1;
  if (getByIds) cost = query.has("$select") ? 2 : 5;
  else if (first === "groups" && segments.length >= 3 && (segments[2] === "transitivemembers")) cost = 5;
  else if (first === "groups" && segments.length >= 3 && segments[2] === "members") cost = 3;
  else if (first === "users" || first === "applications") cost = 2;
  if (!getByIds) {
    if (query.has("$select")) cost -= 1;
    if (query.has("$expand")) cost += 1;
    const top = Number(query.get("$top"));
    if (query.has("$top") && Number.isFinite(top) && top < 20) cost -= 1;
  }
  return { resourceUnits: Math.max(1, cost), write: false, conditionalAccess };
}
