/**
 * Microsoft Graph error bodies (docs/graph-behaviour.md §5):
 * `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`.
 */

export interface RequestIds {
  requestId: string;
  clientRequestId?: string;
  /** The sandbox clock's "now", for `innerError.date`. */
  date: Date;
}

export function innerError(ids: RequestIds, extra: Record<string, string> = {}): Record<string, string> {
  const inner: Record<string, string> = {
    ...extra,
    date: ids.date.toISOString().replace(/\.\d{3}Z$/, ""),
    "request-id": ids.requestId,
  };
  if (ids.clientRequestId) inner["client-request-id"] = ids.clientRequestId;
  return inner;
}

export function graphErrorBody(code: string, message: string, ids: RequestIds, extra: Record<string, string> = {}): unknown {
  return { error: { code, message, innerError: innerError(ids, extra) } };
}

/** The 429 body Graph sends when a request is throttled (docs/graph-behaviour.md §4). */
export function throttledBody(ids: RequestIds): unknown {
  return graphErrorBody("TooManyRequests", "Please retry again later.", ids, { code: "429", status: "429" });
}

/**
 * Makes sure an error body from the tenant has `innerError` with date and request ids, keeping
 * whatever the tenant put there. Bodies that are not `{error:{...}}` pass through untouched.
 */
export function completeErrorBody(body: unknown, ids: RequestIds): unknown {
  if (!isRecord(body) || !isRecord(body.error)) return body;
  const error = body.error;
  const existing = isRecord(error.innerError) ? error.innerError : {};
  const filled: Record<string, unknown> = { ...innerError(ids), ...existing };
  filled["request-id"] = ids.requestId;
  if (ids.clientRequestId) filled["client-request-id"] = ids.clientRequestId;
  return { ...body, error: { ...error, innerError: filled } };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
