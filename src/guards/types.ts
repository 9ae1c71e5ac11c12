import type { LiveObject } from "../model/plan.js";

/** Who a guard protects and which overrides were given. Built by the CLI from config, flags and the token. */

/** Emergency-access identities (config `breakGlass`). */
export interface BreakGlassContext {
  /** `user:<userPrincipalName>` references. */
  accounts: readonly string[];
  /** `group:<name>` references of groups that hold the break-glass accounts. */
  groups: readonly string[];
}

/** The identity that runs apply: cutting it off would stop the apply halfway. */
export type Runner =
  | {
      type: "application";
      /** Every way a policy may name it: `servicePrincipal:<name>`, its object id, its appId. */
      identifiers: readonly string[];
    }
  | {
      type: "user";
      /** `user:<upn>` and its object id. */
      identifiers: readonly string[];
      /** Its groups (`group:<name>` or ids) and roles (`role:<display name>` or template ids). */
      memberOf: readonly string[];
    };

/** `true` overrides everywhere; a list overrides only for addresses matching these `KIND/NAME` globs. */
export type Override = boolean | readonly string[];

export interface GuardOverrides {
  /** Allow Conditional Access changes the lockout guard stops (`--allow-lockout`). */
  lockout?: Override;
  /** Allow changes to protected objects (`--allow-protected`). */
  protected?: Override;
  /** Allow replacing objects whose create-only fields changed (`--allow-recreate`). */
  recreate?: Override;
}

export interface GuardContext {
  /** `apply --allow-delete`. */
  allowDelete: boolean;
  maxDeletes: number;
  /** Config `protected`: `KIND/NAME` globs (`*`, `?`; KIND may be `*`). */
  protected: readonly string[];
  breakGlass: BreakGlassContext;
  /** Known group and role memberships of users: `user:<upn>` → `group:<name>` / `role:<name>` / ids. */
  memberOf?: Readonly<Record<string, readonly string[]>>;
  runner?: Runner;
  /** Grant controls the break-glass accounts and the runner can satisfy. Default `mfa`, `passwordChange`. */
  satisfiableControls?: readonly string[];
  overrides?: GuardOverrides;
  /**
   * The tenant as read (normalized live objects): the lockout guard evaluates Conditional Access
   * before and after the plan over it (groups, role assignments, named locations, policies).
   * `computePlan` fills it with its `actual` when absent.
   */
  live?: readonly LiveObject[];
}

export const DEFAULT_SATISFIABLE_CONTROLS: readonly string[] = ["mfa", "passwordChange"];
