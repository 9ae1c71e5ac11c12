import type { Clock } from "./clock.js";

/** Graph's identity-and-access buckets refill over 10 s (docs/graph-behaviour.md §4). */
const WINDOW_MS = 10_000;
/** Aim a little under the learnt rate, so that pacing itself does not run into the limit. */
const MARGIN = 0.95;
/** After another 429 while pacing: the estimate was too high, lower it by this factor (at most once a second). */
const DECREASE = 0.85;
/** Each second without such a 429, probe upwards by this factor, up to the learnt rate itself. */
const INCREASE = 1.02;

/**
 * Spreads `$batch` requests at the rate Graph refills its resource-unit bucket, once that bucket has
 * run dry, instead of sending full batches into an empty bucket and re-sending their throttled
 * items (each such round costs requests). Graph does not tell the rate, but it tells what each
 * request cost (`x-ms-resource-unit`): a bucket of 10 s that started full and ran dry after
 * `elapsed` ms having admitted `spent` RU refills at `spent / (10 s + elapsed)`. Pacing starts a
 * little under that, drops by 15% when a paced request is still throttled, and creeps back up by 2%
 * a second otherwise (never above the estimate). Until the first 429 nothing is paced (a tenant
 * never throttled pays nothing).
 */
export class ResourceUnitPacer {
  private started: number | undefined;
  private spent = 0;
  private items = 0;
  /** RU per millisecond once learnt. */
  private rate: number | undefined;
  /** The learnt rate without margin: probing stops there. */
  private ceiling = 0;
  private lastDecrease = Number.NEGATIVE_INFINITY;
  private lastIncrease = Number.NEGATIVE_INFINITY;
  private pacingSince = Number.POSITIVE_INFINITY;
  /** When the next reservation may start (a virtual schedule, GCRA-style). */
  private nextFree = 0;

  constructor(private readonly clock: Clock) {}

  /** A request went through and cost `units` RU (1 when Graph did not say). */
  spend(units: number): void {
    this.started ??= this.clock.now();
    this.spent += Number.isFinite(units) && units > 0 ? units : 1;
    this.items++;
  }

  /**
   * A 429 for resource units on a request sent at `sentAt`: learn the rate the first time, lower it
   * when a request sent under pacing was throttled (not one already in flight when pacing began).
   */
  throttled(sentAt: number): void {
    const now = this.clock.now();
    if (this.rate === undefined) {
      const elapsed = now - (this.started ?? now);
      if (this.spent === 0) return;
      this.ceiling = this.spent / (WINDOW_MS + elapsed);
      this.rate = this.ceiling * MARGIN;
      this.lastDecrease = now;
      this.pacingSince = now;
      this.nextFree = now;
      return;
    }
    if (sentAt < this.pacingSince || now - this.lastDecrease < 1000) return;
    this.lastDecrease = now;
    this.rate *= DECREASE;
  }

  /** The RU a request of `count` items should cost, from what items cost so far. */
  estimate(count: number): number {
    return count * (this.items > 0 ? this.spent / this.items : 1);
  }

  /** Milliseconds to wait before sending a request of `units` RU; reserves its place. 0 while not pacing. */
  reserve(units: number): number {
    if (this.rate === undefined) return 0;
    const now = this.clock.now();
    if (now - Math.max(this.lastDecrease, this.lastIncrease) >= 1000 && this.rate < this.ceiling) {
      this.rate = Math.min(this.ceiling, this.rate * INCREASE);
      this.lastIncrease = now;
    }
    const start = Math.max(now, this.nextFree);
    this.nextFree = start + units / this.rate;
    return start - now;
  }

  /** The learnt rate in RU per second, when pacing. */
  get ratePerSecond(): number | undefined {
    return this.rate === undefined ? undefined : this.rate * 1000;
  }
}
