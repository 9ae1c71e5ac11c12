/**
 * `POST /identity/conditionalAccess/evaluate` (v1.0 and beta): Conditional Access What If. Every
 * policy of the tenant (or, with `appliedPoliciesOnly`, those that apply) as a
 * `whatIfAnalysisResult`: the policy as GET shows it plus `policyApplies` and `analysisReasons`
 * (docs/graph-behaviour.md §15). The evaluator is the sandbox's own (`evaluate-policy.ts`).
 */
import type { RequestContext } from "../../../../core/context.js";
import type { Entity } from "../../../../core/entity.js";
import { defineResource } from "../../../../core/resource.js";
import type { GraphResponse } from "../../../../../types.js";
import { COLLECTIONS, ensurePolicyDefaults } from "../../policy-context.js";
import { evaluatePolicy } from "./evaluate-policy.js";
import { readWhatIfRequest } from "./request.js";
import { signInFacts } from "./sign-in-facts.js";

const PERMISSIONS = ["Policy.Read.ConditionalAccess", "Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"];

function evaluate(ctx: RequestContext): GraphResponse {
  ensurePolicyDefaults(ctx);
  const request = readWhatIfRequest(ctx.request.body);
  const facts = signInFacts(ctx, request.identity);
  const locationIds = ctx.store.list(COLLECTIONS.namedLocations).map((l) => l.id);
  const lookup = (id: string): Entity | undefined => ctx.store.get(COLLECTIONS.namedLocations, id);
  const policies = ctx.core.resource(COLLECTIONS.conditionalAccessPolicies);
  const value: Record<string, unknown>[] = [];
  for (const policy of ctx.store.listSorted(COLLECTIONS.conditionalAccessPolicies)) {
    const verdict = evaluatePolicy(policy, request, facts, locationIds, lookup);
    if (request.appliedPoliciesOnly && !verdict.applies) continue;
    const shown = policies.view ? policies.view(ctx, policy) : policy;
    value.push({ ...shown, policyApplies: verdict.applies, analysisReasons: verdict.analysisReasons });
  }
  return {
    status: 200,
    body: { "@odata.context": `${ctx.request.serviceRoot}/$metadata#Collection(microsoft.graph.whatIfAnalysisResult)`, value },
  };
}

export const conditionalAccessEvaluate = defineResource({
  collection: "$conditionalAccessEvaluate",
  entityType: "microsoft.graph.whatIfAnalysisResult",
  resourceName: "WhatIfAnalysisResult",
  paths: [],
  permissions: { read: PERMISSIONS, write: PERMISSIONS },
  routes: [{ method: "POST", path: "/identity/conditionalAccess/evaluate", permissions: PERMISSIONS, handler: evaluate }],
});
