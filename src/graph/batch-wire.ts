import type { JsonObject, JsonValue } from "../model/document.js";
import { parseErrorBody, redact } from "./errors.js";
import { encodeQuery, type GraphHttp } from "./http.js";
import { collectPages } from "./paging.js";
import type { BatchRequest, BatchResult, GraphVersion } from "./types.js";

/** One item's answer inside a `$batch` response. */
export interface ItemResponse {
  id: string;
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: JsonValue | undefined;
}

/**
 * Sends one `$batch` (at most 20 requests) and pairs each request with its answer. Graph wants ids
 * unique case-insensitively, so positions are sent and mapped back; an item with a body gets the
 * `Content-Type` header Graph requires.
 */
export async function sendBatch(
  http: GraphHttp,
  version: GraphVersion,
  chunk: readonly BatchRequest[],
): Promise<Array<{ request: BatchRequest; response: ItemResponse }>> {
  const body = {
    requests: chunk.map((r, i) => {
      const rel = r.path.startsWith("/") ? r.path : `/${r.path}`;
      const query = encodeQuery(r.options?.query);
      const url = query ? `${rel}${rel.includes("?") ? "&" : "?"}${query}` : rel;
      const headers = r.body !== undefined ? { "Content-Type": "application/json", ...r.options?.headers } : r.options?.headers;
      return { id: String(i + 1), method: r.method ?? "GET", url, ...(headers ? { headers } : {}), ...(r.body !== undefined ? { body: r.body } : {}) };
    }),
  };
  const url = http.url("/$batch", { version });
  const answer = await http.send("POST", url, { body, idempotent: true });
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

/** The caller's result for an item; a GET of a collection with `@odata.nextLink` is read to its last page. */
export async function toResult(http: GraphHttp, request: BatchRequest, response: ItemResponse): Promise<BatchResult> {
  if (response.status >= 200 && response.status < 300) {
    const body = response.body ?? {};
    if ((request.method ?? "GET") === "GET" && isObject(body) && Array.isArray(body.value) && typeof body["@odata.nextLink"] === "string") {
      const all = await collectPages(http, body["@odata.nextLink"], request.options?.headers);
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
