import type { GuardOverrides, Override } from "../guards/types.js";

/** `--allow-lockout` alone overrides everywhere; with globs, only for matching `KIND/NAME`. */
function override(value: boolean | string[] | undefined): Override | undefined {
  if (value === undefined || value === false) return undefined;
  return value === true || value.length === 0 ? true : value;
}

export function overridesFrom(flags: { allowLockout?: boolean | string[]; allowProtected?: boolean | string[]; allowRecreate?: boolean | string[] }): GuardOverrides {
  const result: GuardOverrides = {};
  const lockout = override(flags.allowLockout);
  const protectedOverride = override(flags.allowProtected);
  const recreate = override(flags.allowRecreate);
  if (lockout !== undefined) result.lockout = lockout;
  if (protectedOverride !== undefined) result.protected = protectedOverride;
  if (recreate !== undefined) result.recreate = recreate;
  return result;
}
