import { refKey } from "./refs.js";

/** A named location as the evaluator needs it. */
export interface CaNamedLocation {
  /** `namedLocation:<name>` as written. */
  ref: string;
  trusted: boolean;
  /** IPv4/IPv6 CIDR ranges (ip locations). */
  ipRanges: string[];
  /** ISO codes (country locations). */
  countries: string[];
  includeUnknownCountries: boolean;
}

/**
 * Who is in what: group members (users, groups, service principals, nested), tenant-wide role
 * assignments (users and role-assignable groups), guests, named locations and the authentication
 * strengths' names. Built from documents (`world.ts`); the evaluator only reads it.
 */
export class CaDirectory {
  /** group key → member keys. */
  readonly members = new Map<string, string[]>();
  /** principal key → role keys assigned to it directly (tenant scope). */
  readonly rolesOf = new Map<string, string[]>();
  /** user key → Graph guestOrExternalUserTypes. */
  readonly guests = new Map<string, string[]>();
  readonly locations = new Map<string, CaNamedLocation>();
  private parents: Map<string, string[]> | undefined;
  private readonly cache = new Map<string, ReadonlySet<string>>();

  addMembers(group: string, members: readonly string[]): void {
    this.members.set(refKey(group), members.map(refKey));
    this.parents = undefined;
    this.cache.clear();
  }

  addRole(principal: string, role: string): void {
    const key = refKey(principal);
    const list = this.rolesOf.get(key) ?? [];
    list.push(refKey(role));
    this.rolesOf.set(key, list);
    this.cache.clear();
  }

  /** Groups a principal is in (transitively, through nested groups) and roles it holds directly or through a group. */
  memberships(principal: string): ReadonlySet<string> {
    const key = refKey(principal);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const parents = this.parentIndex();
    const out = new Set<string>();
    const queue = [key];
    while (queue.length > 0) {
      const current = queue.pop() as string;
      for (const parent of parents.get(current) ?? []) {
        if (out.has(parent)) continue;
        out.add(parent);
        queue.push(parent);
      }
    }
    // Roles of the principal and of every group it is in (role-assignable groups; Graph does not
    // nest role-assignable groups, but a role held through any group counts).
    for (const holder of [key, ...out]) for (const role of this.rolesOf.get(holder) ?? []) out.add(role);
    this.cache.set(key, out);
    return out;
  }

  /** Every user key that is a member (transitively) of a group. */
  usersIn(group: string): string[] {
    const out = new Set<string>();
    const seen = new Set<string>();
    const queue = [refKey(group)];
    while (queue.length > 0) {
      const current = queue.pop() as string;
      if (seen.has(current)) continue;
      seen.add(current);
      for (const member of this.members.get(current) ?? []) {
        if (member.startsWith("group:") || this.members.has(member)) queue.push(member);
        else out.add(member);
      }
    }
    return [...out];
  }

  /** Principals holding a role directly (users, groups). */
  holdersOf(role: string): string[] {
    const key = refKey(role);
    return [...this.rolesOf].filter(([, roles]) => roles.includes(key)).map(([principal]) => principal);
  }

  private parentIndex(): Map<string, string[]> {
    if (this.parents) return this.parents;
    const parents = new Map<string, string[]>();
    for (const [group, members] of this.members) {
      for (const member of members) {
        const list = parents.get(member) ?? [];
        list.push(group);
        parents.set(member, list);
      }
    }
    this.parents = parents;
    return parents;
  }
}
