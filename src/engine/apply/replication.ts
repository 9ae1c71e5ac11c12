import { GraphError } from "../../graph/errors.js";

/**
 * Graph's eventual consistency (docs/graph-behaviour.md §6): an object created moments ago may 404 on read or be
 * refused as a reference with "does not exist or one of its queried reference-property objects are
 * not present". Terraform retries those; so does apply, with backoff, a bounded number of times.
 * Only an object this run created can be on its way: a refusal that names another id (a directory
 * setting template that does not exist, an object deleted since the plan) is permanent and fails
 * at once instead of being retried for 40 s.
 */
export function isReplicationError(error: unknown, recentIds: ReadonlySet<string> = new Set()): boolean {
  if (!(error instanceof GraphError)) return false;
  if (error.status !== 404 && error.status !== 400) return false;
  const text = error.graphMessage.toLowerCase();
  const notPresent = text.includes("does not exist or one of its queried reference-property objects are not present");
  if (error.status === 404 || notPresent) {
    const named = namedResource(text);
    return named === undefined || recentIds.has(named);
  }
  return text.includes("does not reference a valid application object") || text.includes("invalid object identifier") || refusesRecentObject(text, recentIds);
}

/** The id a "Resource '<id>' does not exist ..." message names, lower case. */
function namedResource(text: string): string | undefined {
  return /\bresource '([0-9a-f-]{36})'/.exec(text)?.[1];
}

/**
 * Conditional Access refuses a reference it cannot see yet as it refuses a wrong one ("1054: Invalid
 * group value: ID."). Only a refusal naming an object this run created is worth waiting for.
 */
function refusesRecentObject(text: string, recentIds: ReadonlySet<string>): boolean {
  const match = /\binvalid [a-z ]+ value: ([0-9a-f-]{36})\b/.exec(text);
  return match?.[1] !== undefined && recentIds.has(match[1]);
}

/**
 * A dropped connection (status 0) or a 500/502/504: the write may or may not have happened. The
 * gateway does not repeat non-GET requests after those; a write whose repetition is harmless
 * (PATCH of absolute values, DELETE, a `$ref` add that treats "already exists" as done) can be.
 */
export function isTransientError(error: unknown): boolean {
  return error instanceof GraphError && (error.status === 0 || error.status === 500 || error.status === 502 || error.status === 504);
}

export interface RetryOptions {
  attempts?: number;
  /** First wait in ms, doubled after each failure. */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (attempt: number, error: unknown) => void;
  /** Ids (and appIds) of objects created earlier in this run, lower case: a refusal naming one is retried. */
  recentIds?: ReadonlySet<string>;
  /** The write is safe to repeat: transient failures (`isTransientError`) are retried too. */
  idempotent?: boolean;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work`, retrying replication errors only. */
export async function withReplicationRetry<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  const sleep = options.sleep ?? realSleep;
  let delay = options.baseDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const retryable = isReplicationError(error, options.recentIds) || (options.idempotent === true && isTransientError(error));
      if (attempt >= attempts || !retryable) throw error;
      options.onRetry?.(attempt, error);
      await sleep(delay);
      delay = Math.min(delay * 2, 10_000);
    }
  }
}
