import type { ResourceDefinition } from "../core/resource.js";
import { policyResources as resources } from "./policies/index.js";

/**
 * The policy resources (Conditional Access, named locations, authentication strengths and contexts,
 * authorization, authentication methods, cross-tenant access, group settings) live in `./policies/`.
 */
export const policyResources: readonly ResourceDefinition[] = resources;
