import type { JsonObject, JsonValue } from "../documents/types.js";
import type { Clock } from "./clock.js";
import { parseErrorBody, redact } from "./errors.js";
import { encodeQuery, type GraphHttp } from "./http.js";
import { collectPages } from "./paging.js";
import { nextDelay, parseRetryAfter, retryableStatus, type RetryPolicy } from "./retry-policy.js";
import type { GatewayEvent } from "./stats.js";
import type { BatchGet, BatchResult, GatewayStats, GraphVersion } from "./types.js";

/** Graph takes at most 20 requests per `$batch` (GRAPH-FACTS §3). */
export const BATCH_LIMIT = 20;

export interface BatchDeps {
  http: GraphHttp;
  clock: Clock;
  random: () => number;
  policy: RetryPolicy;
  stats: GatewayStats;
  onEvent?: (event: GatewayEvent) => void;
}

interface ItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: JsonValue | undefined;
}

/**
 * Many GETs through JSON `$batch`: chunks of 20 sent in parallel (the limiter bounds them), items
 * throttled inside a 200 batch (429 with their own `Retry-After`) or failing transiently are sent
 * again in a later round, waiting the longest Retry-After among them (else backoff). A collection
 * answer with `@odata.nextLink` is followed to its last page. Results by the caller's ids.
 */
export async function batchGet(deps: BatchDeps, requests: readonly BatchGet[]): Promise<Map<string, BatchResult>> {
  const ids = new Set<string>();
  for (const r of requests) {
    if (ids.has(r.id)) throw new Error(`batchGet: duplicate request id "${r.id}"`);
    ids.add(r.id);
  }
  const results = new Map<string, BatchResult>();
  const byVersion = new Map<GraphVersion, BatchGet[]>();
  for (const r of requests) {
    const version = r.options?.version ?? deps.http.defaultVersion;
    byVersion.set(version, [...(byVersion.get(version) ?? []), r]);
  }
  await Promise.all([...byVersion].map(([version, items]) => runRounds(deps, version, items, results)));
  return results;
}

async function runRounds(
  deps: BatchDeps,
  version: GraphVersion,
  items: readonly BatchGet[],
  results: Map<string, BatchResult>,
): Promise<void> {
  let pending = [...items];
  let waited = 0;
  for (let round = 1; pending.length > 0; round++) {
    const chunks: BatchGet[][] = [];
    for (let i = 0; i < pending.length; i += BATCH_LIMIT) chunks.push(pending.slice(i, i + BATCH_LIMIT));
    const answers = (await Promise.all(chunks.map((chunk) => sendChunk(deps, version, chunk)))).flat();

    const again: Array<{ request: BatchGet; response: ItemResponse; retryAfterMs?: number }> = [];
    for (const { request, response } of answers) {
      if (response.status === 429) deps.stats.throttled++;
      if (retryableStatus(response.status, true)) {
        const retryAfterMs = parseRetryAfter(headerValue(response.headers, "retry-after"), deps.clock.now());
        again.push({ request, response, retryAfterMs });
      } else {
        results.set(request.id, await toResult(deps, request, response));
      }
    }
    if (again.length === 0) return;
    const hinted = again.map((a) => a.retryAfterMs).filter((ms): ms is number => ms !== undefined);
    const retryAfterMs = hinted.length > 0 ? Math.max(...hinted) : undefined;
    const delay = nextDelay({ attempt: round, retryAfterMs, waitedMs: waited, policy: deps.policy, random: deps.random });
    if (delay === undefined) {
      for (const { request, response } of again) results.set(request.id, await toResult(deps, request, response));
      return;
    }
    deps.stats.retries += again.length;
    deps.stats.waitedMs += delay;
    waited += delay;
    deps.onEvent?.({
      type: "retry",
      method: "GET",
      path: "/$batch",
      status: again[0]?.response.status,
      reason: `${again.length} batch item(s) HTTP ${[...new Set(again.map((a) => a.response.status))].join("/")}`,
      attempt: round,
      delayMs: delay,
    });
    await deps.clock.sleep(delay);
    pending = again.map((a) => a.request);
  }
}

async function sendChunk(
  deps: BatchDeps,
  version: GraphVersion,
  chunk: readonly BatchGet[],
): Promise<Array<{ request: BatchGet; response: ItemResponse }>> {
  // Graph wants ids unique case-insensitively; send positions and map back.
  const body = {
    requests: chunk.map((r, i) => {
      const rel = r.path.startsWith("/") ? r.path : `/${r.path}`;
      const query = encodeQuery(r.options?.query);
      const url = query ? `${rel}${rel.includes("?") ? "&" : "?"}${query}` : rel;
      return { id: String(i + 1), method: "GET", url, ...(r.options?.headers ? { headers: r.options.headers } : {}) };
    }),
  };
  const url = deps.http.url("/$batch", { version });
  const answer = await deps.http.send("POST", url, { body, idempotent: true });
  const responses = readResponses(answer.body);
  return chunk.map((request, i) => ({
    request,
    response: responses.get(String(i + 1)) ?? {
      id: String(i + 1),
      status: 500,
      headers: {},
      body: { error: { code: "MissingBatchResponse", message: "the $batch response has no answer for this request" } },
    },
  }));
}

function readResponses(body: JsonValue | undefined): Map<string, ItemResponse> {
  const map = new Map<string, ItemResponse>();
  const list = body && typeof body === "object" && !Array.isArray(body) ? body.responses : undefined;
  if (!Array.isArray(list)) throw new Error("the $batch response has no responses array");
  for (const item of list) {
    if (!item || typeof item !== "object" || Array.isArray(item)) continue;
    const headers: Record<string, string> = {};
    if (item.headers && typeof item.headers === "object" && !Array.isArray(item.headers)) {
      for (const [k, v] of Object.entries(item.headers)) if (typeof v === "string") headers[k.toLowerCase()] = v;
    }
    map.set(String(item.id), { id: String(item.id), status: Number(item.status), headers, body: item.body ?? undefined });
  }
  return map;
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  return headers[name.toLowerCase()];
}

async function toResult(deps: BatchDeps, request: BatchGet, response: ItemResponse): Promise<BatchResult> {
  if (response.status >= 200 && response.status < 300) {
    const body = response.body ?? {};
    if (isObject(body) && Array.isArray(body.value) && typeof body["@odata.nextLink"] === "string") {
      const all = await collectPages(deps.http, body["@odata.nextLink"], request.options?.headers);
      const { ["@odata.nextLink"]: _next, ...rest } = body;
      return { id: request.id, ok: true, value: { ...rest, value: [...body.value, ...all] } };
    }
    return { id: request.id, ok: true, value: body };
  }
  const parsed = parseErrorBody(response.body);
  return {
    id: request.id,
    ok: false,
    status: response.status,
    code: parsed.code ?? `HTTP${response.status}`,
    message: redact(parsed.message ?? `HTTP ${response.status}`),
  };
}

function isObject(value: JsonValue): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
