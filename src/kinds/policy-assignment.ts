import type { Relationship } from "./types.js";

/**
 * Where a policy is assigned (README "Policy assignments"): Graph's own `appliesTo` navigation of the
 * policy, read as `GET /policies/<collection>/{id}/appliesTo` and written from each target's side,
 * `POST /applications/{id}/<segment>/$ref` or `/servicePrincipals/{id}/<segment>/$ref` with the
 * policy's `@odata.id` (docs/graph-behaviour.md, "Policy assignments"). `sides` says which targets
 * Graph takes and under which segment; `onePerTarget` that a target holds at most one such policy.
 */
export function appliesTo(sides: { application?: string; servicePrincipal?: string }, onePerTarget: boolean): Relationship {
  const writtenFrom: NonNullable<Relationship["writtenFrom"]> = {
    ...(sides.application ? { application: { collectionPath: "/applications", segment: sides.application } } : {}),
    ...(sides.servicePrincipal ? { servicePrincipal: { collectionPath: "/servicePrincipals", segment: sides.servicePrincipal } } : {}),
  };
  return {
    property: "appliesTo",
    segment: "appliesTo",
    targets: [...(sides.application ? (["application"] as const) : []), ...(sides.servicePrincipal ? (["servicePrincipal"] as const) : [])],
    writtenFrom,
    ...(onePerTarget ? { onePerTarget: true as const } : {}),
  };
}

/** Reading `appliesTo` needs Application.Read.All beside Policy.Read.All; assigning STS policies, Application.ReadWrite.All. */
export const APPLICATION_READ = { "Application.Read.All": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30" } as const;
export const APPLICATION_READ_WRITE = { "Application.ReadWrite.All": "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9" } as const;

/**
 * The Core Directory audit activities of the policy objects `stsPolicy.ts` and app management
 * policies build on, and of their assignments (Microsoft's audit activity reference, category
 * Policy: "Add policy", "Update policy", "Delete policy"; ApplicationManagement: "Add policy to
 * application", "Remove policy from service principal"). The names do not say which policy type:
 * every kind that takes them is read again (docs/graph-behaviour.md, "Audit activity names").
 */
export function policyAuditActivity(own: RegExp, sides: { application?: unknown; servicePrincipal?: unknown } | undefined): RegExp {
  const targets = [sides?.application !== undefined ? "application" : undefined, sides?.servicePrincipal !== undefined ? "service principal" : undefined].filter((t) => t !== undefined);
  const assignment = targets.length > 0 ? `|^(Add|Remove) policy (to|from) (${targets.join("|")})$` : "";
  return new RegExp(`${own.source}|^(Add|Update|Delete|Hard delete) policy$${assignment}`, "i");
}
