/**
 * When and how long to wait before sending a request again. Pure functions, so the rules are
 * tested without a network: Graph's `Retry-After` is honoured (seconds, decimal seconds or an
 * HTTP date); without it (the Conditional Access bucket sends none) exponential backoff with jitter.
 */

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Give up when the waits of one request would add up to more than this. */
  maxTotalWaitMs: number;
  /** First backoff step without Retry-After; doubles each attempt. */
  baseDelayMs: number;
  /** Largest single wait (a longer Retry-After is still honoured, up to maxTotalWaitMs). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 10,
  maxTotalWaitMs: 300_000,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
};

/** Statuses worth another attempt for any method: the request was not processed. */
const ALWAYS_RETRY = new Set([429, 503]);
/** Statuses worth another attempt only when repeating the request cannot do harm. */
const IDEMPOTENT_RETRY = new Set([500, 502, 504]);

export function retryableStatus(status: number, idempotent: boolean): boolean {
  return ALWAYS_RETRY.has(status) || (idempotent && IDEMPOTENT_RETRY.has(status));
}

/** Error codes of a dropped or reset connection (Node net / undici). */
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** The code of a transient network failure (looking through `fetch failed` causes), else undefined. */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** `Retry-After` in milliseconds: delta seconds (`2`, `2.128`) or an HTTP date; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  if (!/^[A-Za-z]{3},/.test(text)) return undefined; // IMF-fixdate: "Wed, 21 Oct 2015 07:28:00 GMT"
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Backoff for retry number `attempt` (1-based) without Retry-After: "equal jitter" over base·2^(n-1). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The wait before retry `attempt`, or undefined when the policy says stop. */
export function nextDelay(input: {
  attempt: number;
  retryAfterMs: number | undefined;
  waitedMs: number;
  policy: RetryPolicy;
  random: () => number;
}): number | undefined {
  const { attempt, retryAfterMs, waitedMs, policy, random } = input;
  if (attempt > policy.maxRetries) return undefined;
  const delay = retryAfterMs ?? backoffDelay(attempt, policy, random);
  if (waitedMs + delay > policy.maxTotalWaitMs) return undefined;
  return delay;
}
