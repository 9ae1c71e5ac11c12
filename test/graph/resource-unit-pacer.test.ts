import { describe, expect, it } from "vitest";
import { virtualClock } from "../../src/graph/clock.js";
import type { Clock } from "../../src/graph/clock.js";
import { ResourceUnitPacer } from "../../src/graph/resource-unit-pacer.js";
import { TokenBucket } from "../../src/sandbox/front/token-bucket.js";

describe("ResourceUnitPacer", () => {
  it("paces nothing until the first throttling", () => {
    const clock = virtualClock(1_000);
    const pacer = new ResourceUnitPacer(clock);
    for (let i = 0; i < 100; i++) pacer.spend(2);
    expect(pacer.ratePerSecond).toBeUndefined();
    expect(pacer.reserve(1_000)).toBe(0);
    expect(pacer.reserve(1_000)).toBe(0);
  });

  it("measures the refill from the first request (a full 10 s bucket) to the first 429, counting answers that arrive late by when they were sent", async () => {
    const clock = virtualClock(0);
    const pacer = new ResourceUnitPacer(clock);
    // A 8,000 RU / 10 s bucket (800 RU/s) sent into for 5 s: 8,000 + 5 s × 800 = 12,000 RU admitted.
    for (let t = 0; t < 5_000; t += 50) pacer.spend(110, t); // 11,000 RU answered
    await clock.sleep(5_100);
    pacer.throttled(5_000); // a request sent at 5 s found the bucket empty
    expect(pacer.ratePerSecond).toBeCloseTo(11_000 / 15, 5);
    // Requests sent before the 429's were still in flight: their answers complete the measurement.
    pacer.spend(500, 4_900);
    pacer.spend(500, 4_950);
    expect(pacer.ratePerSecond).toBeCloseTo(800, 5);
    // An answer to a request sent after the empty moment belongs to the next measurement.
    pacer.spend(300, 5_050);
    expect(pacer.ratePerSecond).toBeCloseTo(800, 5);
  });

  it("sends once its copy of the bucket holds a request's cost, and spends what refilled during a pause afterwards", async () => {
    const clock = virtualClock(0);
    const pacer = new ResourceUnitPacer(clock);
    pacer.spend(1_000, 0);
    await clock.sleep(1_000);
    pacer.throttled(0); // 1,000 RU over a 10 s bucket and no time: 100 RU/s, copy empty
    expect(pacer.ratePerSecond).toBeCloseTo(100, 5);
    expect(pacer.reserve(50)).toBeCloseTo(500, 5);
    expect(pacer.reserve(50)).toBeCloseTo(1_000, 5);
    await clock.sleep(4_000); // e.g. a Retry-After pause: the copy refills 400 RU meanwhile, 300 beyond the reservations
    expect(pacer.reserve(100)).toBe(0);
    expect(pacer.reserve(200)).toBe(0);
    expect(pacer.reserve(100)).toBeCloseTo(1_000, 5);
  });

  it("starts its copy empty at the first 429, whatever the clock reads, and keeps measuring from the full bucket", async () => {
    const start = 1_765_000_000_000; // a wall clock
    const clock = virtualClock(start);
    const pacer = new ResourceUnitPacer(clock);
    for (let t = 0; t < 5_000; t += 50) pacer.spend(110, start + t);
    await clock.sleep(5_100);
    pacer.throttled(start + 5_000);
    expect(pacer.reserve(80)).toBeCloseTo(80 / 0.7333, 2); // empty: waits for its own cost at 733 RU/s
    pacer.spend(500, start + 4_900); // a late answer still completes the first measurement
    pacer.spend(500, start + 4_950);
    pacer.throttled(start + 5_020);
    expect(pacer.ratePerSecond).toBeCloseTo(12_000 / 15.02, 5);
  });

  it("holds at most one window of refill, however long it was idle", async () => {
    const clock = virtualClock(0);
    const pacer = new ResourceUnitPacer(clock);
    pacer.spend(1_000, 0);
    pacer.throttled(0); // 100 RU/s: a bucket of 1,000 RU
    await clock.sleep(60_000);
    expect(pacer.reserve(1_000)).toBe(0);
    expect(pacer.reserve(100)).toBeCloseTo(1_000, 5);
  });

  it("corrects the rate by what the next empty moment shows and empties its copy, once per correction", async () => {
    const clock = virtualClock(0);
    const pacer = new ResourceUnitPacer(clock);
    pacer.spend(10_000, 0);
    await clock.sleep(100);
    pacer.throttled(50); // 10,000 RU over 10.05 s: about 995 RU/s
    const learnt = pacer.ratePerSecond ?? 0;
    expect(learnt).toBeCloseTo(10_000 / 10.05, 3);
    // Graph refills 800 RU/s only: 20 s later 16,000 RU went through, and a request sent then is throttled.
    for (let t = 100; t < 20_100; t += 100) pacer.spend(80, t);
    await clock.sleep(20_000);
    pacer.throttled(20_100);
    expect(pacer.ratePerSecond).toBeCloseTo(16_000 / 20.05, 3);
    // The copy is empty now: the next request waits for its own cost.
    expect(pacer.reserve(80)).toBeCloseTo(80 / (16_000 / 20.05) * 1_000, 3);
    // A 429 of a request sent before that correction arrives late: it says nothing new.
    await clock.sleep(1_000);
    pacer.throttled(20_000);
    expect(pacer.reserve(0)).toBe(0);
  });

  it("starts a measurement where its copy says the bucket was full again (the refill beyond was lost)", async () => {
    const clock = virtualClock(0);
    const pacer = new ResourceUnitPacer(clock);
    pacer.spend(8_000, 0);
    pacer.throttled(0); // 800 RU/s
    await clock.sleep(30_000); // idle: full again after 10 s
    expect(pacer.reserve(8_000)).toBe(0); // full at 30 s, and spent at once
    for (let t = 30_000; t < 35_000; t += 100) pacer.spend(8_000 / 50 + 80, t); // 12,000 RU in 5 s
    await clock.sleep(5_000);
    pacer.throttled(35_000);
    expect(pacer.ratePerSecond).toBeCloseTo(12_000 / 15, 3); // from the full moment, not from the empty one at 0
  });
});

/**
 * Graph's bucket (the sandbox's own `TokenBucket`) read through `$batch` by `workers` workers, in
 * simulated time: each batch of 20 items waits for the pacer, reaches the service half a latency
 * later (each item admitted, or 429 with `Retry-After` in whole seconds and charged all the same, as
 * Graph keeps counting a throttled client's requests), and is
 * answered half a latency after that; a 429 pauses every worker until its Retry-After, as the
 * gateway's limiter does. Returns when the last item was answered and how many items were throttled.
 */
function simulate(shape: { charged: boolean; capacity: number; windowMs: number; items: number; itemCost: number; latencyMs: number; workers: number; jitter?: number; used?: number }): { doneAt: number; throttled: number; spent: number } {
  let now = 0;
  const clock: Clock = { now: () => now, sleep: () => Promise.resolve() };
  const bucket = new TokenBucket({ capacity: shape.capacity, windowMs: shape.windowMs }, () => now);
  // Another client of the same app spent part of the bucket just before.
  if (shape.used) bucket.take(shape.used);
  // Latency varies by up to ±jitter of itself (a fixed-seed generator: the same run every time).
  let seed = 42;
  const latency = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return shape.latencyMs * (1 + (shape.jitter ?? 0) * (2 * (seed / 2_147_483_648) - 1));
  };
  const pacer = new ResourceUnitPacer(clock);
  const events: Array<{ at: number; run: () => void }> = [];
  const schedule = (at: number, run: () => void): void => {
    let i = events.length;
    while (i > 0 && (events[i - 1] as { at: number }).at > at) i--;
    events.splice(i, 0, { at, run });
  };
  let ready = shape.items;
  const later: Array<{ at: number; count: number }> = [];
  let pausedUntil = 0;
  let throttled = 0;
  let spent = 0;
  let answered = 0;
  let doneAt = 0;
  const worker = (): void => {
    for (const group of later.filter((g) => g.at <= now)) ready += group.count;
    later.splice(0, later.length, ...later.filter((g) => g.at > now));
    if (ready === 0) {
      const next = Math.min(...later.map((g) => g.at));
      if (Number.isFinite(next)) schedule(next, worker);
      return;
    }
    const count = Math.min(20, ready);
    ready -= count;
    const wait = pacer.reserve(pacer.estimate(count));
    const sentAt = Math.max(now + wait, pausedUntil);
    const there = latency() / 2;
    const back = latency() / 2;
    schedule(sentAt + there, () => {
      let admitted = 0;
      let retryAfterMs = 0;
      const reported: boolean[] = [];
      for (let i = 0; i < count; i++) {
        if (bucket.waitFor(shape.itemCost) > 0) {
          // Charged although refused, and Retry-After counts that charge (the sandbox's model), or free.
          if (shape.charged) bucket.charge(shape.itemCost);
          retryAfterMs = Math.max(retryAfterMs, Math.max(1, Math.ceil(bucket.waitFor(shape.itemCost) / 1000)) * 1000);
        } else {
          bucket.take(shape.itemCost);
          // x-ms-throttle-limit-percentage: only above 0.8 of the limit used.
          reported.push(bucket.usedFraction() > 0.8);
          admitted++;
        }
      }
      schedule(now + back, () => {
        for (let i = 0; i < admitted; i++) pacer.spend(shape.itemCost, sentAt, reported[i] === true);
        spent += admitted * shape.itemCost;
        answered += admitted;
        if (admitted < count) {
          throttled += count - admitted;
          pacer.throttled(sentAt, (count - admitted) * shape.itemCost, retryAfterMs);
          later.push({ at: now + retryAfterMs, count: count - admitted });
          pausedUntil = Math.max(pausedUntil, now + retryAfterMs);
        }
        if (answered === shape.items) doneAt = now;
        worker();
      });
    });
  };
  for (let w = 0; w < shape.workers; w++) schedule(0, worker);
  while (events.length > 0) {
    const event = events.shift() as { at: number; run: () => void };
    now = event.at;
    event.run();
  }
  return { doneAt, throttled, spent };
}

describe("ResourceUnitPacer against a token bucket", () => {
  // Graph's three bucket sizes, latencies steady and varying, item costs of 3 RU (group members) and
  // 1 RU (any other GET), and a bucket another client of the app had partly used before.
  const cases = [
    { capacity: 3_500, latencyMs: 80, itemCost: 3 },
    { capacity: 5_000, latencyMs: 100, itemCost: 1 },
    { capacity: 8_000, latencyMs: 150, itemCost: 3 },
    { capacity: 8_000, latencyMs: 250, itemCost: 3 },
    { capacity: 8_000, latencyMs: 150, itemCost: 3, jitter: 0.8 },
    { capacity: 8_000, latencyMs: 150, itemCost: 3, used: 4_000 },
    { capacity: 8_000, latencyMs: 150, itemCost: 3, used: 7_000, jitter: 0.5 },
  ];
  // Graph keeps counting a throttled client's requests (docs/graph-behaviour.md §4), as the sandbox
  // does: a throttled item costs its units and its retry costs them again, so every item in flight
  // when the bucket first runs dry is paid twice. Also checked against a bucket that charges nothing
  // for a 429, the friendlier reading, so that the pacer does not depend on which one Graph is.
  for (const charged of [true, false]) {
    for (const { capacity, latencyMs, itemCost, jitter, used } of cases) {
      it(`reads within ${charged ? 6 : 3}% of the throttling bound of a ${capacity} RU / 10 s bucket (${latencyMs} ms latency, ${itemCost} RU items${jitter ? `, latency ±${jitter * 100}%` : ""}${used ? `, ${used} RU used before` : ""}${charged ? ", 429s charged" : ", 429s free"}), throttling little beyond the batches in flight when it first ran dry`, () => {
        const items = Math.round((capacity * 5) / itemCost); // 40 s of refill beyond the full bucket
        const { doneAt, throttled, spent } = simulate({ charged, capacity, windowMs: 10_000, items, itemCost, latencyMs, workers: 8, ...(jitter ? { jitter } : {}), ...(used ? { used } : {}) });
        expect(spent).toBe(items * itemCost);
        const boundMs = ((spent - (capacity - (used ?? 0))) / capacity) * 10_000;
        expect(doneAt).toBeGreaterThan(boundMs);
        expect(doneAt).toBeLessThan(boundMs * (charged ? 1.06 : 1.03) + latencyMs);
        // The batches in flight when it first ran dry; once more when the bucket was not full at the
        // start, or when 429s are charged (how far below empty the first burst left the bucket, the
        // copy learns only from Retry-After, in whole seconds).
        expect(throttled).toBeLessThan((used || charged ? 2 : 1) * 8 * 20 + items * 0.01);
      });
    }
  }
});
