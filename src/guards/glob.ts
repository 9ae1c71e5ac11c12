import type { Override } from "./types.js";

const cache = new Map<string, RegExp>();

/** `KIND/NAME` glob: `*` any run of characters, `?` one character; case-sensitive like addresses. */
export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    re = new RegExp(`^${body}$`);
    cache.set(glob, re);
  }
  return re;
}

export function matchesAny(value: string, globs: readonly string[]): string | undefined {
  return globs.find((g) => globToRegExp(g).test(value));
}

/** Whether an override applies to an address. */
export function overrides(override: Override | undefined, address: string | undefined): boolean {
  if (override === undefined || override === false) return false;
  if (override === true) return true;
  return address !== undefined && matchesAny(address, override) !== undefined;
}
