/** The policy resources (Conditional Access, named locations, ...), defined in `./policies/`. */
export { policyResources } from "./policies/index.js";
