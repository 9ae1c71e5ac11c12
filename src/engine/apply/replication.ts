import { GraphError } from "../../graph/errors.js";

/**
 * Graph's eventual consistency (GRAPH-FACTS §6): an object created moments ago may 404 on read or be
 * refused as a reference with "does not exist or one of its queried reference-property objects are
 * not present". Terraform retries those; so does apply, with backoff, a bounded number of times.
 */
export function isReplicationError(error: unknown): boolean {
  if (!(error instanceof GraphError)) return false;
  if (error.status === 404) return true;
  if (error.status !== 400) return false;
  const text = error.graphMessage.toLowerCase();
  return (
    text.includes("does not exist or one of its queried reference-property objects are not present") ||
    text.includes("does not reference a valid application object") ||
    text.includes("invalid object identifier")
  );
}

export interface RetryOptions {
  attempts?: number;
  /** First wait in ms, doubled after each failure. */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (attempt: number, error: unknown) => void;
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
      if (attempt >= attempts || !isReplicationError(error)) throw error;
      options.onRetry?.(attempt, error);
      await sleep(delay);
      delay = Math.min(delay * 2, 10_000);
    }
  }
}
