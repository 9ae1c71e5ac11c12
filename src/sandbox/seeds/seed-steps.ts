/**
 * A seed is an ordered list of Graph writes, applied through the tenant's own request handling with
 * system rights (no permission checks, no audit, supplied ids kept), so seeded objects pass exactly
 * the validation a client's POST would.
 */
import type { GraphRequest, GraphResponse, HttpMethod } from "../types.js";

/** Stands for the sandbox's tenant id in a step's path (`/organization/{tenantId}`), replaced when the step runs. */
export const TENANT_ID_IN_PATH = "{tenantId}";

export interface SeedStep {
  method: Extract<HttpMethod, "POST" | "PATCH" | "PUT">;
  /** Path after the version, e.g. `/identity/conditionalAccess/policies` (`TENANT_ID_IN_PATH` is the tenant's id). */
  path: string;
  version?: "v1.0" | "beta";
  body: Record<string, unknown>;
  /**
   * Content sent as bytes instead of `body` (a stream property: a company branding image), with
   * its Content-Type.
   */
  content?: { readonly type: string; readonly bytes: Buffer };
  /** What the step creates, for error messages (e.g. `conditionalAccessPolicy "CA001 …" from file.json`). */
  label: string;
}

/** The tenant entry point a seed needs: handle one request with system rights. */
export type SystemHandler = (request: GraphRequest) => Promise<GraphResponse>;

export interface SeedFailure {
  label: string;
  status: number;
  message: string;
}

export interface SeedResult {
  applied: number;
  failures: SeedFailure[];
}

function errorMessage(body: unknown): string {
  if (typeof body === "object" && body !== null && "error" in body) {
    const error = (body as { error: unknown }).error;
    if (typeof error === "object" && error !== null && "message" in error) return String((error as { message: unknown }).message);
  }
  return JSON.stringify(body);
}

/** Builds the system request for a step (the principal is the sandbox itself). */
export function seedRequest(step: SeedStep, tenantId: string, index: number): GraphRequest {
  const version = step.version ?? "v1.0";
  return {
    method: step.method,
    version,
    path: step.path.replaceAll(TENANT_ID_IN_PATH, tenantId),
    query: new URLSearchParams(),
    headers: { "content-type": step.content?.type ?? "application/json", "prefer": "include-unknown-enum-members" },
    body: step.content?.bytes ?? step.body,
    principal: { type: "app", tenantId, appId: "00000000-0000-0000-0000-000000000000", appDisplayName: "entra-gitops sandbox seed", roles: [], scopes: [] },
    serviceRoot: `https://127.0.0.1/${version}`,
    requestId: `seed-${index}`,
  };
}

/**
 * Runs the steps in order. With `stopOnError` (the demo seed) the first failure throws with the
 * step's label and Graph's message; otherwise failures are collected (a folder of third-party exports).
 */
export async function applySeed(steps: readonly SeedStep[], handle: SystemHandler, tenantId: string, stopOnError: boolean): Promise<SeedResult> {
  const failures: SeedFailure[] = [];
  let applied = 0;
  for (const [index, step] of steps.entries()) {
    const response = await handle(seedRequest(step, tenantId, index));
    if (response.status >= 200 && response.status < 300) {
      applied += 1;
      continue;
    }
    const failure = { label: step.label, status: response.status, message: errorMessage(response.body) };
    if (stopOnError) throw new Error(`seed step ${step.label} failed: ${failure.status} ${failure.message}`);
    failures.push(failure);
  }
  return { applied, failures };
}
