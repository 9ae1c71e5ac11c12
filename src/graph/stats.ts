import type { GatewayStats } from "./types.js";

export function emptyStats(): GatewayStats {
  return { requests: 0, retries: 0, throttled: 0, waitedMs: 0 };
}

/** Something worth a progress line: a retry, a throttling pause. Never carries a token. */
export type GatewayEvent =
  | { type: "retry"; method: string; path: string; status?: number; reason: string; attempt: number; delayMs: number }
  | { type: "throttled"; method: string; path: string; retryAfterMs?: number };
