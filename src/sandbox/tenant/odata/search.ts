import { badRequest } from "../core/errors.js";
import type { Entity } from "../core/entity.js";
import { resolvePath } from "./filter-eval.js";

interface SearchClause {
  property: string;
  term: string;
}

function tokens(value: string): string[] {
  return value
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * `$search="displayName:foo" OR "mail:bar"` (AND binds tighter). Graph tokenizes values on spaces,
 * punctuation and camel case, and matches each search word as a prefix of a token.
 */
export function matchesSearch(entity: Entity, search: string, searchable: readonly string[]): boolean {
  const orGroups = search.split(/\s+OR\s+/).map((group) => group.split(/\s+AND\s+/).map(parseClause));
  return orGroups.some((group) =>
    group.every((clause) => {
      if (!searchable.some((p) => p.toLowerCase() === clause.property.toLowerCase())) {
        throw badRequest(`Unsupported search property '${clause.property}'.`, "Request_UnsupportedQuery");
      }
      const value = resolvePath(entity, [clause.property]);
      if (typeof value !== "string") return false;
      const have = tokens(value);
      return tokens(clause.term).every((word) => have.some((t) => t.startsWith(word)));
    }),
  );
}

function parseClause(raw: string): SearchClause {
  const text = raw.trim().replace(/^"|"$/g, "");
  const colon = text.indexOf(":");
  if (colon < 0) throw badRequest(`Syntax error: '${raw}' is not a valid $search clause; use "property:value".`, "Request_UnsupportedQuery");
  return { property: text.slice(0, colon).trim(), term: text.slice(colon + 1).trim() };
}
