import { refKey } from "./refs.js";
import type { CaWorld } from "./world.js";

export interface BreakGlassProposal {
  accounts: string[];
  groups: string[];
}

/**
 * Break-glass candidates for a configuration that names none: the groups every enabled blocking
 * user policy excludes, and the users every one of them excludes (directly or through a group).
 * Empty when the tenant has no enabled blocking policy.
 */
export function proposeBreakGlass(world: CaWorld): BreakGlassProposal {
  const blocking = world.policies.filter((p) => p.state === "enabled" && p.grant?.block && !p.servicePrincipals);
  if (blocking.length === 0) return { accounts: [], groups: [] };
  const groups = world.groups.filter((g) => blocking.every((p) => p.users.excludeGroups.has(refKey(g))));
  const accounts = world.users.filter((user) => {
    const memberships = world.directory.memberships(user);
    return blocking.every((p) => p.users.excludeUsers.has(refKey(user)) || [...memberships].some((m) => p.users.excludeGroups.has(m) || p.users.excludeRoles.has(m)));
  });
  return { accounts, groups };
}

/** The configuration lines for a proposal, as one YAML flow line and as a commented block. */
export function breakGlassYaml(proposal: BreakGlassProposal): { line: string; block: string[] } {
  const parts = [proposal.accounts.length ? `accounts: [${proposal.accounts.join(", ")}]` : "", proposal.groups.length ? `groups: [${proposal.groups.join(", ")}]` : ""].filter(Boolean);
  const block = ["breakGlass:"];
  if (proposal.accounts.length) block.push("  accounts:", ...proposal.accounts.map((a) => `    - ${a}`));
  if (proposal.groups.length) block.push("  groups:", ...proposal.groups.map((g) => `    - ${g}`));
  return { line: `breakGlass: { ${parts.join(", ")} }`, block };
}
