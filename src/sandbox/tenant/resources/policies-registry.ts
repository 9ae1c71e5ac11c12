import type { ResourceDefinition } from "../core/resource.js";

/**
 * The policy resources (Conditional Access, named locations, ...) live in `./policies/` and are
 * owned by the policies work; they export `policyResources` from `./policies/index.ts`, and this
 * file re-exports them once that index exists.
 */
export const policyResources: readonly ResourceDefinition[] = [];
