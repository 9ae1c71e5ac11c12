import { describe, expect, it } from "vitest";
import { virtualClock } from "../../src/graph/clock.js";
import { createGateway } from "../../src/graph/create.js";
import { isPacedPath, RequestLimiter } from "../../src/graph/limiter.js";
import { staticCredential } from "./fake-graph.js";

describe("request limiter", () => {
  it("never has more than maxConcurrency tasks running, and runs them all", async () => {
    const limiter = new RequestLimiter(virtualClock(), 3, 1000);
    let running = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const tasks = [...Array(10).keys()].map((i) =>
      limiter.run(false, async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        return i;
      }),
    );
    // release tasks one by one as they start
    for (let done = 0; done < 10; done++) {
      while (releases.length === 0) await new Promise((r) => setImmediate(r));
      expect(limiter.inFlight).toBeLessThanOrEqual(3);
      releases.shift()?.();
    }
    expect(await Promise.all(tasks)).toEqual([...Array(10).keys()]);
    expect(peak).toBe(3);
    expect(limiter.inFlight).toBe(0);
  });

  it("holds requests back during a shared pause after a 429 and says how far the pause grew", async () => {
    const clock = virtualClock(10_000);
    const limiter = new RequestLimiter(clock, 4, 1000);
    expect(limiter.pauseUntil(15_000)).toBe(5000);
    expect(limiter.pauseUntil(14_000)).toBe(0);
    expect(limiter.pauseUntil(16_000)).toBe(1000);
    let startedAt = 0;
    await limiter.run(false, async () => void (startedAt = clock.now()));
    expect(startedAt).toBe(16_000);
  });

  it("halves the concurrency after throttling (once a second) and regains it as requests succeed", () => {
    const clock = virtualClock(0);
    const limiter = new RequestLimiter(clock, 8, 1000);
    limiter.throttled();
    limiter.throttled(); // same second: one decrease
    expect(limiter.currentLimit).toBe(4);
    clock.now = () => 1000;
    limiter.throttled();
    expect(limiter.currentLimit).toBe(2);
    for (let i = 0; i < 2; i++) limiter.succeeded();
    expect(limiter.currentLimit).toBe(3);
    for (let i = 0; i < 3 + 4 + 5 + 6 + 7 + 8; i++) limiter.succeeded();
    expect(limiter.currentLimit).toBe(8);
  });

  it("spaces paced requests (Conditional Access bucket) one interval apart, one at a time", async () => {
    const clock = virtualClock(0);
    const limiter = new RequestLimiter(clock, 8, 1000);
    const starts: number[] = [];
    await Promise.all([...Array(4).keys()].map(() => limiter.run(true, async () => void starts.push(clock.now()))));
    expect(starts).toEqual([0, 1000, 2000, 3000]);
    limiter.backOffPaced(5000);
    await limiter.run(true, async () => void starts.push(clock.now()));
    expect(starts.at(-1)).toBe(8000);
  });

  it("knows which paths share the 1 request/s bucket", () => {
    expect(isPacedPath("/identity/conditionalAccess/policies")).toBe(true);
    expect(isPacedPath("/identity/conditionalAccess/policies/abc")).toBe(true);
    expect(isPacedPath("/identity/conditionalAccess/namedLocations/x")).toBe(true);
    expect(isPacedPath("/identity/conditionalAccess/deletedItems/policies/x/restore")).toBe(true);
    expect(isPacedPath("/identityProtection/riskyUsers")).toBe(true);
    expect(isPacedPath("/identity/conditionalAccess/authenticationContextClassReferences")).toBe(true);
    expect(isPacedPath("/policies/authenticationStrengthPolicies")).toBe(false);
    expect(isPacedPath("/groups")).toBe(false);
  });
});

describe("concurrency setting", () => {
  it("reads ENTRA_GITOPS_MAX_CONCURRENCY and rejects nonsense", () => {
    const credential = staticCredential("x");
    expect(() => createGateway({ env: { ENTRA_GITOPS_MAX_CONCURRENCY: "0" }, credential })).toThrow(/at least 1/);
    expect(() => createGateway({ env: { ENTRA_GITOPS_MAX_CONCURRENCY: "many" }, credential })).toThrow(/whole number/);
    expect(() => createGateway({ env: { ENTRA_GITOPS_MAX_CONCURRENCY: "32" }, credential })).not.toThrow();
  });
});
