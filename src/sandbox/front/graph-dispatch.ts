/**
 * One Graph request through the front's pipeline, shared by plain requests and `$batch` items:
 * injected fault → throttling model → `tenant.handle` → response headers and a complete error body.
 */
import type { GraphRequest, GraphResponse, HttpMethod, Principal, Tenant } from "../types.js";
import type { FaultInjector } from "./faults.js";
import { completeErrorBody, graphErrorBody, throttledBody } from "./graph-errors.js";
import type { RequestIds } from "./graph-errors.js";
import { requestCost } from "./resource-units.js";
import type { ThrottleModel } from "./throttling.js";

export interface DispatchContext {
  tenant: Tenant;
  faults: FaultInjector;
  throttle?: ThrottleModel;
}

export interface DispatchInput {
  method: string;
  version: "v1.0" | "beta";
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  principal: Principal;
  serviceRoot: string;
  requestId: string;
  clientRequestId?: string;
  /** Batch items cannot have their connection reset. */
  allowReset: boolean;
}

export interface DispatchResult extends GraphResponse {
  headers: Record<string, string>;
  throttled: boolean;
  fault?: "status" | "reset";
}

const METHODS: readonly string[] = ["GET", "POST", "PATCH", "PUT", "DELETE"];

const FAULT_ERRORS: Record<number, [string, string]> = {
  500: ["generalException", "An unspecified error has occurred."],
  503: ["serviceNotAvailable", "The service is temporarily unavailable. Please retry again later."],
  504: ["gatewayTimeout", "The request timed out at the gateway. Please retry again later."],
};

export async function dispatchGraph(input: DispatchInput, ctx: DispatchContext): Promise<DispatchResult> {
  const ids: RequestIds = { requestId: input.requestId, date: ctx.tenant.clock.now() };
  if (input.clientRequestId) ids.clientRequestId = input.clientRequestId;
  const baseHeaders: Record<string, string> = { "request-id": input.requestId };
  if (input.clientRequestId) baseHeaders["client-request-id"] = input.clientRequestId;

  const fault = ctx.faults.next(input.method, input.path, input.allowReset);
  if (fault.kind === "reset") return { status: 0, headers: baseHeaders, throttled: false, fault: "reset" };
  if (fault.kind === "status") {
    const headers = { ...baseHeaders };
    if (fault.retryAfter !== undefined) headers["Retry-After"] = String(fault.retryAfter);
    const [code, message] = FAULT_ERRORS[fault.status] ?? ["", ""];
    const body = fault.status === 429 ? throttledBody(ids) : graphErrorBody(code, message, ids);
    return { status: fault.status, headers, body, throttled: false, fault: "status" };
  }

  if (!METHODS.includes(input.method)) {
    const body = graphErrorBody("Request_BadRequest", `The HTTP method '${input.method}' is not supported.`, ids);
    return { status: 405, headers: baseHeaders, body, throttled: false };
  }

  const cost = requestCost(input.method, input.path, input.query);
  let throttleHeaders: Record<string, string> = { "x-ms-resource-unit": String(cost.resourceUnits) };
  if (ctx.throttle) {
    const decision = ctx.throttle.admit(input.principal.appId, cost);
    throttleHeaders = decision.headers;
    if (!decision.allowed) {
      return { status: 429, headers: { ...baseHeaders, ...decision.headers }, body: throttledBody(ids), throttled: true };
    }
  }

  const request: GraphRequest = {
    method: input.method as HttpMethod,
    version: input.version,
    path: input.path,
    query: input.query,
    headers: input.headers,
    body: input.body,
    principal: input.principal,
    serviceRoot: input.serviceRoot,
    requestId: input.requestId,
  };
  let response: GraphResponse;
  try {
    response = await ctx.tenant.handle(request);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    response = { status: 500, body: graphErrorBody("generalException", `An unexpected error occurred in the sandbox tenant: ${message}`, ids) };
  }
  const headers = { ...(response.headers ?? {}), ...baseHeaders, ...throttleHeaders };
  const body = response.status >= 400 ? completeErrorBody(response.body, ids) : response.body;
  return { status: response.status, headers, body, throttled: false };
}
