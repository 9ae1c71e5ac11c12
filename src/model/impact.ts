/** Conditional Access impact of a plan, recorded in the plan (JSON) and rendered in text and markdown. */

export interface ImpactRow {
  /** `application:crm`, `Office365`, `all applications`, `urn:user:registersecurityinfo`, … */
  target: string;
  /** `newly blocked`, `now need mfa`, `no longer blocked`, `no longer need …`. */
  effect: string;
  /** Users known by name (group members, role holders, users named by policies, user documents). */
  users: number;
  /** Set when users outside every group (not read one by one) are affected too. */
  allOtherUsers: boolean;
  /** Up to the list limit, sorted. */
  names: string[];
}

export interface IdentityImpact {
  /** `break-glass user:bg1@…`, `holders of role:Global Administrator`, `the service principal that runs apply (…)`. */
  label: string;
  target: string;
  before: string;
  after: string;
}

export interface CaImpact {
  /** Users evaluated one by one, grouped into strata of users with the same applicable policies. */
  population: { users: number; strata: number; signInsPerTarget: number };
  rows: ImpactRow[];
  identities: IdentityImpact[];
  /** `unaffected`, `affected`, or `not configured` (no breakGlass and none to propose). */
  breakGlass: "unaffected" | "affected" | "not configured";
  /** The headline lines: `3 users newly blocked from application:crm`, `break-glass unaffected`, `no change in access`. */
  summary: string[];
}

/** One impact row as a headline line (`3 users newly blocked from application:crm`). */
export function rowLine(row: ImpactRow): string {
  const who = row.users > 0 ? `${row.users} user${row.users === 1 ? "" : "s"}${row.allOtherUsers ? " and every other user" : ""}` : "every user outside the groups and roles read";
  const preposition = row.effect.endsWith("blocked") ? "from" : "for";
  return `${who} ${row.effect} ${preposition} ${row.target}`;
}
