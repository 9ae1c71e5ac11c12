import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import type { Clock } from "./clock.js";
import { isPacedPath, type RequestLimiter } from "./limiter.js";
import { requestMeta } from "./request-meta.js";
import { networkErrorCode, nextDelay, parseRetryAfter, retryableStatus, type RetryPolicy } from "./retry-policy.js";
import type { GatewayEvent } from "./stats.js";
import type { GatewayStats } from "./types.js";

export interface RetryDeps {
  policy: RetryPolicy;
  clock: Clock;
  random: () => number;
  limiter: RequestLimiter;
  stats: GatewayStats;
  onEvent?: (event: GatewayEvent) => void;
  /** Drops the cached token after a 401 (expired or revoked); true when a fresh one can be fetched. */
  refreshToken?: () => boolean;
}

/**
 * Sends the request through the limiter and sends it again on throttling (429), 503, and, for
 * idempotent requests, 500/502/504 and dropped connections, waiting as `Retry-After` says or
 * backing off exponentially with jitter. Each retry carries a `Retry-Attempt` header, as the Graph
 * SDKs do. The last response (or error) is handed back when the policy says stop.
 */
export class RetryMiddleware implements Middleware {
  private next?: Middleware;

  constructor(private readonly deps: RetryDeps) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (!next) throw new Error("RetryMiddleware has no next middleware");
    const meta = requestMeta(context);
    const method = meta?.method ?? "GET";
    const path = meta?.path ?? "";
    const idempotent = meta?.idempotent ?? method === "GET";
    const paced = isPacedPath(path);
    const { clock, limiter, stats, policy, random } = this.deps;
    let waited = 0;
    let refreshed = false;

    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      context.response = undefined;
      // The auth handler appends to an existing Authorization header: start each attempt without one.
      deleteHeader(context, "authorization");
      try {
        await limiter.run(paced, () => next.execute(context));
      } catch (error) {
        failure = error;
      }
      const response = context.response as Response | undefined;
      let retryAfterMs: number | undefined;
      let reason: string;
      let status: number | undefined;
      if (failure !== undefined) {
        if (meta) meta.failure = failure;
        const code = networkErrorCode(failure);
        if (!code || !idempotent) throw failure;
        reason = code;
      } else if (response?.status === 401 && !refreshed && this.deps.refreshToken?.()) {
        // A token that expired in flight: one more attempt with a fresh token, no wait.
        refreshed = true;
        await response.arrayBuffer().catch(() => undefined);
        stats.retries++;
        this.deps.onEvent?.({ type: "retry", method, path, status: 401, reason: "token refresh", attempt, delayMs: 0 });
        continue;
      } else if (response && retryableStatus(response.status, idempotent)) {
        status = response.status;
        reason = `HTTP ${status}`;
        retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), clock.now());
        if (status === 429) {
          stats.throttled++;
          if (!paced) limiter.throttled();
          this.deps.onEvent?.({ type: "throttled", method, path, retryAfterMs });
        }
      } else {
        if (response && response.status < 400) limiter.succeeded();
        return;
      }

      const delay = nextDelay({ attempt, retryAfterMs, waitedMs: waited, policy, random });
      if (delay === undefined) {
        if (failure !== undefined) throw failure;
        return; // hand the last response back: the gateway turns it into a GraphError
      }
      if (status === 429) {
        if (paced) limiter.backOffPaced(delay);
        else if (retryAfterMs !== undefined) limiter.pauseUntil(clock.now() + retryAfterMs);
      }
      if (response) await response.arrayBuffer().catch(() => undefined);
      stats.retries++;
      stats.waitedMs += delay;
      waited += delay;
      this.deps.onEvent?.({ type: "retry", method, path, status, reason, attempt, delayMs: delay });
      await clock.sleep(delay);
      setHeader(context, "Retry-Attempt", String(attempt));
    }
  }
}

function deleteHeader(context: Context, name: string): void {
  const headers = context.options?.headers;
  if (!headers) return;
  if (headers instanceof Headers) {
    headers.delete(name);
    return;
  }
  const record = headers as Record<string, string>;
  for (const key of Object.keys(record)) if (key.toLowerCase() === name) delete record[key];
}

function setHeader(context: Context, name: string, value: string): void {
  const options = (context.options ??= {});
  const headers = options.headers;
  if (headers instanceof Headers) headers.set(name, value);
  else options.headers = { ...(headers as Record<string, string> | undefined), [name]: value };
}
