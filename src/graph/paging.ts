import type { JsonObject, JsonValue } from "../model/document.js";
import type { GraphHttp } from "./http.js";

/**
 * Follows `@odata.nextLink` from `firstUrl` to the last page (docs/graph-behaviour.md §1): every link is used
 * verbatim, the request headers (e.g. `ConsistencyLevel: eventual`) are sent again on every page,
 * and empty pages are followed too. `firstPage` lets a caller continue a page it already holds.
 */
export async function collectPages(
  http: GraphHttp,
  firstUrl: string,
  headers: Record<string, string> | undefined,
  firstPage?: JsonValue,
): Promise<JsonObject[]> {
  const items: JsonObject[] = [];
  const seen = new Set<string>();
  let url: string | undefined = firstUrl;
  let page: JsonValue | undefined = firstPage;
  while (url !== undefined || page !== undefined) {
    if (page === undefined && url !== undefined) {
      seen.add(url);
      page = (await http.send("GET", url, { headers })).body;
    }
    const { value, nextLink } = readPage(page, url ?? firstUrl);
    items.push(...value);
    page = undefined;
    if (nextLink !== undefined && seen.has(nextLink)) {
      throw new Error(`Graph returned the same @odata.nextLink twice (${http.pathOf(nextLink)}); stopping to avoid a loop`);
    }
    url = nextLink;
  }
  return items;
}

function readPage(page: JsonValue | undefined, url: string): { value: JsonObject[]; nextLink?: string } {
  if (!page || typeof page !== "object" || Array.isArray(page)) {
    throw new Error(`expected a collection from ${new URL(url).pathname}, got ${page === undefined ? "no body" : typeof page}`);
  }
  const value = page.value;
  if (!Array.isArray(value)) throw new Error(`expected a collection from ${new URL(url).pathname}: no "value" array`);
  const nextLink = page["@odata.nextLink"];
  return {
    value: value.filter((v): v is JsonObject => v !== null && typeof v === "object" && !Array.isArray(v)),
    nextLink: typeof nextLink === "string" && nextLink !== "" ? nextLink : undefined,
  };
}
