export { computePlan, type PlanOptions } from "./compute-plan.js";
export { canonicalJson, fingerprint, jsonEqual } from "./canonical.js";
export { createCatalog, dependencyOrder, parseReference, REFERENCE_TARGET_KIND, type PlanKind } from "./catalog.js";
export { compareSpecs, resultingSpec, type CompareRules } from "./build-change.js";
export { summarize, hasChanges, blockingFindings, isApplicable } from "../../model/plan-summary.js";
export * from "../../model/plan.js";
