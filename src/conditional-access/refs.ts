import { BUILTIN_ROLES } from "../kinds/builtinRoles.js";

const ROLE_BY_TEMPLATE = new Map(Object.entries(BUILTIN_ROLES).map(([id, name]) => [id.toLowerCase(), `role:${name}`.toLowerCase()]));

/**
 * The comparison key of a reference: lower case, and a built-in role's template id turned into
 * `role:<name>`, so `role:Global Administrator` and `62e90394-…` are the same role.
 */
export function refKey(ref: string): string {
  const lower = ref.toLowerCase();
  return ROLE_BY_TEMPLATE.get(lower) ?? lower;
}

export const keySet = (refs: readonly string[]): Set<string> => new Set(refs.map(refKey));

export function hasAny(set: ReadonlySet<string>, keys: Iterable<string>): string | undefined {
  for (const key of keys) if (set.has(key)) return key;
  return undefined;
}
