import { describe, expect, it } from "vitest";
import { virtualClock } from "../../src/graph/clock.js";
import { ResourceUnitPacer } from "../../src/graph/resource-unit-pacer.js";

describe("ResourceUnitPacer", () => {
  it("paces nothing until the first throttling", () => {
    const clock = virtualClock(1_000);
    const pacer = new ResourceUnitPacer(clock);
    for (let i = 0; i < 100; i++) pacer.spend(2);
    expect(pacer.ratePerSecond).toBeUndefined();
    expect(pacer.reserve(1_000)).toBe(0);
    expect(pacer.reserve(1_000)).toBe(0);
  });

  it("learns the refill rate of a 10 s bucket from what ran it dry, then spaces requests by their cost", async () => {
    const clock = virtualClock(0);
    const pacer = new ResourceUnitPacer(clock);
    // A 8,000 RU / 10 s bucket (800 RU/s) drained in 5 s: 8,000 + 5 s × 800 = 12,000 RU admitted.
    for (let i = 0; i < 6_000; i++) pacer.spend(2);
    await clock.sleep(5_000);
    pacer.throttled(4_900);
    expect(pacer.ratePerSecond).toBeCloseTo(800 * 0.95, 5);
    expect(pacer.estimate(20)).toBe(40);
    expect(pacer.reserve(760)).toBe(0);
    expect(pacer.reserve(760)).toBeCloseTo(1_000, 5);
    expect(pacer.reserve(380)).toBeCloseTo(2_000, 5);
  });

  it("lowers the rate when a paced request is throttled, not for requests already in flight, at most once a second", async () => {
    const clock = virtualClock(0);
    const pacer = new ResourceUnitPacer(clock);
    for (let i = 0; i < 1_000; i++) pacer.spend(1);
    pacer.throttled(0);
    const learnt = pacer.ratePerSecond ?? 0;
    expect(learnt).toBeCloseTo(95, 5);
    pacer.throttled(-10); // sent before pacing began
    await clock.sleep(1_500);
    pacer.throttled(-10);
    expect(pacer.ratePerSecond).toBe(learnt);
    pacer.throttled(1_200);
    expect(pacer.ratePerSecond).toBeCloseTo(learnt * 0.85, 5);
    pacer.throttled(1_400);
    expect(pacer.ratePerSecond).toBeCloseTo(learnt * 0.85, 5);
  });

  it("creeps back up 2% a second while paced requests go through, never above the learnt rate", async () => {
    const clock = virtualClock(0);
    const pacer = new ResourceUnitPacer(clock);
    for (let i = 0; i < 1_000; i++) pacer.spend(1); // learnt: 100 RU/s, paced at 95
    pacer.throttled(0);
    await clock.sleep(1_000);
    pacer.reserve(1);
    expect(pacer.ratePerSecond).toBeCloseTo(95 * 1.02, 5);
    pacer.reserve(1);
    expect(pacer.ratePerSecond).toBeCloseTo(95 * 1.02, 5);
    for (let s = 0; s < 10; s++) {
      await clock.sleep(1_000);
      pacer.reserve(1);
    }
    expect(pacer.ratePerSecond).toBeCloseTo(100, 5);
  });
});
