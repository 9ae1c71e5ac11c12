/**
 * `POST /{version}/$batch`: runs each item through the same pipeline as a plain request, in
 * dependency order (items without dependencies run concurrently); an item whose dependency did
 * not succeed gets 424; a throttled item gets 429 with `Retry-After` while the batch stays 200.
 */
import { randomUUID } from "node:crypto";
import type { Principal } from "../types.js";
import { parseBatchPayload } from "./batch-payload.js";
import type { BatchItem } from "./batch-payload.js";
import { dispatchGraph } from "./graph-dispatch.js";
import type { DispatchContext, DispatchResult } from "./graph-dispatch.js";
import { graphErrorBody } from "./graph-errors.js";
import type { RequestIds } from "./graph-errors.js";
import type { RequestLog } from "./request-log.js";

export interface BatchContext extends DispatchContext {
  log: RequestLog;
}

export interface BatchCall {
  version: "v1.0" | "beta";
  payload: unknown;
  principal: Principal;
  serviceRoot: string;
  ids: RequestIds;
  /** The batch's own log sequence number. */
  seq: number;
}

export interface BatchItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export type BatchOutcome = { status: 400; body: unknown } | { status: 200; body: { responses: BatchItemResponse[] } };

export async function runBatch(call: BatchCall, ctx: BatchContext): Promise<BatchOutcome> {
  const parsed = parseBatchPayload(call.payload);
  if (!parsed.ok) return { status: 400, body: graphErrorBody("BadRequest", parsed.message, call.ids) };
  const results = new Map<string, Promise<BatchItemResponse>>();
  const run = (item: BatchItem): Promise<BatchItemResponse> => {
    const key = item.id.toLowerCase();
    let pending = results.get(key);
    if (!pending) {
      pending = (async () => {
        const deps = await Promise.all(item.dependsOn.map((dep) => run(findItem(parsed.items, dep))));
        if (deps.some((dep) => dep.status < 200 || dep.status >= 300)) return failedDependency(item, call, ctx);
        return runItem(item, call, ctx);
      })();
      results.set(key, pending);
    }
    return pending;
  };
  const responses = await Promise.all(parsed.items.map((item) => run(item)));
  return { status: 200, body: { responses } };
}

function findItem(items: readonly BatchItem[], id: string): BatchItem {
  const found = items.find((item) => item.id.toLowerCase() === id.toLowerCase());
  if (!found) throw new Error(`batch item ${id} vanished after validation`);
  return found;
}

function failedDependency(item: BatchItem, call: BatchCall, ctx: BatchContext): BatchItemResponse {
  const { path, query } = splitItemUrl(item.url);
  const requestId = randomUUID();
  const ids: RequestIds = { ...call.ids, requestId };
  ctx.log.add({ kind: "batch-item", method: item.method, path: `/${call.version}${path}`, query: query.toString(), status: 424, principal: principalName(call.principal), throttled: false, batch: { seq: call.seq, id: item.id }, requestId });
  return {
    id: item.id,
    status: 424,
    headers: { "Content-Type": "application/json" },
    body: graphErrorBody("FailedDependency", "The request could not be processed because a request it depends on failed.", ids),
  };
}

async function runItem(item: BatchItem, call: BatchCall, ctx: BatchContext): Promise<BatchItemResponse> {
  const split = splitItemUrl(item.url);
  const { path, query } = split;
  const version = split.version ?? call.version;
  const requestId = randomUUID();
  let result: DispatchResult;
  if (/^\/\$batch$/i.test(path)) {
    const ids: RequestIds = { ...call.ids, requestId };
    result = { status: 400, headers: {}, body: graphErrorBody("BadRequest", "A batch request cannot contain another $batch request.", ids), throttled: false };
  } else {
    const input = {
      method: item.method,
      version,
      path,
      query,
      headers: item.headers,
      body: item.body,
      principal: call.principal,
      serviceRoot: call.serviceRoot.replace(/\/(v1\.0|beta)$/, `/${version}`),
      requestId,
      allowReset: false,
      ...(call.ids.clientRequestId ? { clientRequestId: call.ids.clientRequestId } : {}),
    };
    result = await dispatchGraph(input, ctx);
  }
  ctx.log.add({
    kind: "batch-item",
    method: item.method,
    path: `/${version}${path}`,
    query: query.toString(),
    status: result.status,
    principal: principalName(call.principal),
    throttled: result.throttled,
    ...(result.fault ? { fault: result.fault } : {}),
    batch: { seq: call.seq, id: item.id },
    requestId,
  });
  const headers: Record<string, string> = { ...result.headers };
  if (result.body !== undefined && typeof result.body === "object") headers["Content-Type"] = "application/json";
  const response: BatchItemResponse = { id: item.id, status: result.status, headers };
  if (result.body !== undefined) response.body = result.body;
  return response;
}

/**
 * `users?$top=5`, `/users/{id}` → decoded path `/users/...` and its query. The Graph JS SDK's
 * BatchRequestContent keeps the version in item urls (`/v1.0/users`); that prefix is split off.
 */
export function splitItemUrl(url: string): { path: string; query: URLSearchParams; version?: "v1.0" | "beta" } {
  const questionMark = url.indexOf("?");
  const rawPath = questionMark >= 0 ? url.slice(0, questionMark) : url;
  const rawQuery = questionMark >= 0 ? url.slice(questionMark + 1) : "";
  let path = decodePath(`/${rawPath.replace(/^\/+/, "")}`);
  const prefix = /^\/(v1\.0|beta)(?=\/|$)/i.exec(path);
  let version: "v1.0" | "beta" | undefined;
  if (prefix) {
    version = prefix[1]?.toLowerCase() === "beta" ? "beta" : "v1.0";
    path = path.slice(prefix[0].length) || "/";
  }
  return { path, query: new URLSearchParams(rawQuery), ...(version ? { version } : {}) };
}

export function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function principalName(principal: Principal): string {
  return principal.type === "user" ? (principal.userPrincipalName ?? principal.userId ?? principal.appId) : principal.appId;
}
