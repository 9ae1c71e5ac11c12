import type { ResolvedConfig } from "./types.js";

/** Whether `KIND/NAME` matches one of the config's `protected` entries (`*` and `?` globs). */
export function isProtected(config: Pick<ResolvedConfig, "protected">, address: string): boolean {
  return config.protected.some((pattern) => globToRegExp(pattern).test(address));
}

/** `*` matches any run of characters (slashes included, names have none), `?` one character. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}
