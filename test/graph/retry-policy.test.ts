import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  networkErrorCode,
  nextDelay,
  parseRetryAfter,
  retryableStatus,
} from "../../src/graph/retry-policy.js";

describe("Retry-After", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("reads delta seconds, decimal seconds and HTTP dates", () => {
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("2.128", now)).toBe(2128);
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:07 GMT", now)).toBe(7000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0);
  });
  it("ignores absent or unreadable values", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-1", now)).toBeUndefined();
  });
});

describe("which failures are retried", () => {
  it("retries throttling and unavailability for any method, server errors only when idempotent", () => {
    expect(retryableStatus(429, false)).toBe(true);
    expect(retryableStatus(503, false)).toBe(true);
    expect(retryableStatus(504, false)).toBe(false);
    expect(retryableStatus(504, true)).toBe(true);
    expect(retryableStatus(500, true)).toBe(true);
    expect(retryableStatus(502, true)).toBe(true);
    expect(retryableStatus(500, false)).toBe(false);
    for (const status of [400, 401, 403, 404, 409, 412]) expect(retryableStatus(status, true)).toBe(false);
  });
  it("finds reset codes inside fetch's wrapped causes", () => {
    const reset = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
    });
    expect(networkErrorCode(reset)).toBe("UND_ERR_SOCKET");
    expect(networkErrorCode(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toBe("ECONNRESET");
    expect(networkErrorCode(Object.assign(new Error("refused"), { code: "ECONNREFUSED" }))).toBeUndefined();
    expect(networkErrorCode(new Error("plain"))).toBeUndefined();
  });
});

describe("backoff", () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 8000 };
  it("doubles from the base with jitter in the upper half, capped", () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, () => 0.999999)).toBe(1000);
    expect(backoffDelay(3, policy, () => 0)).toBe(2000);
    expect(backoffDelay(10, policy, () => 1)).toBe(8000);
  });
  it("prefers Retry-After and stops at the retry and total-wait caps", () => {
    const p = { ...policy, maxRetries: 3, maxTotalWaitMs: 10_000 };
    expect(nextDelay({ attempt: 1, retryAfterMs: 4000, waitedMs: 0, policy: p, random: () => 0 })).toBe(4000);
    expect(nextDelay({ attempt: 4, retryAfterMs: 1, waitedMs: 0, policy: p, random: () => 0 })).toBeUndefined();
    expect(nextDelay({ attempt: 2, retryAfterMs: 6000, waitedMs: 5000, policy: p, random: () => 0 })).toBeUndefined();
  });
});
