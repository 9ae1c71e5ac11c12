import type { Clock } from "./clock.js";

/**
 * Keeps the gateway inside Graph's throttling instead of bouncing off it:
 * - at most `maxConcurrency` requests in flight, halved after throttling and regained one by one
 *   as requests succeed (additive increase, multiplicative decrease);
 * - a shared pause after a 429 with `Retry-After`, so the other in-flight callers do not each
 *   collect their own 429 (octokit's throttling plugin does the same);
 * - Conditional Access, named locations and Identity Protection share one bucket of 1 request per
 *   second per tenant for all apps, whose 429 has no Retry-After (docs/graph-behaviour.md §4): requests there
 *   go one at a time, `paceIntervalMs` apart.
 */
export class RequestLimiter {
  private active = 0;
  private limit: number;
  private successes = 0;
  private lastDecrease = Number.NEGATIVE_INFINITY;
  private readonly waiting: Array<() => void> = [];
  private pausedUntil = 0;
  private paceChain: Promise<void> = Promise.resolve();
  private nextPacedStart = 0;

  constructor(
    private readonly clock: Clock,
    readonly maxConcurrency: number,
    readonly paceIntervalMs: number,
  ) {
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) throw new Error("maxConcurrency must be at least 1");
    this.limit = maxConcurrency;
  }

  /** Runs `task` inside the limits; `paced` for requests in the 1-request-per-second bucket. */
  async run<T>(paced: boolean, task: () => Promise<T>): Promise<T> {
    if (!paced) return this.withSlot(task);
    // One paced request at a time: each waits for the previous one to finish and for its start slot.
    const previous = this.paceChain;
    let release!: () => void;
    this.paceChain = new Promise<void>((resolve) => (release = resolve));
    try {
      await previous;
      const wait = this.nextPacedStart - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      return await this.withSlot(task);
    } finally {
      // Count the interval from the answer, not the send: the service saw the previous request
      // before we got its answer, so arrivals are at least one interval apart whatever the latency.
      this.nextPacedStart = Math.max(this.nextPacedStart, this.clock.now() + this.paceIntervalMs);
      release();
    }
  }

  /** After a 429 with Retry-After: hold back every request until then. Returns how far the pause grew. */
  pauseUntil(time: number): number {
    const before = Math.max(this.pausedUntil, this.clock.now());
    this.pausedUntil = Math.max(this.pausedUntil, time);
    return Math.max(0, this.pausedUntil - before);
  }

  /** Resolves once no shared pause holds requests back (at once when none does). */
  async unpaused(): Promise<void> {
    while (this.pausedUntil > this.clock.now()) await this.clock.sleep(this.pausedUntil - this.clock.now());
  }

  /** After a 429 in the paced bucket: push its next start back by `delayMs`. */
  backOffPaced(delayMs: number): void {
    this.nextPacedStart = Math.max(this.nextPacedStart, this.clock.now() + delayMs);
  }

  /**
   * Throttled (429, not the paced bucket): halve the requests allowed in flight, at most once a
   * second, so the gateway settles just under the service's limit instead of bouncing off it.
   */
  throttled(): void {
    const now = this.clock.now();
    if (now - this.lastDecrease < 1000) return;
    this.lastDecrease = now;
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    this.successes = 0;
  }

  /** A request went through: after `limit` of them in a row, allow one more in flight (up to the maximum). */
  succeeded(): void {
    if (this.limit >= this.maxConcurrency) return;
    if (++this.successes < this.limit) return;
    this.successes = 0;
    this.limit++;
    while (this.active < this.limit && this.waiting.length > 0) {
      this.active++;
      this.waiting.shift()?.();
    }
  }

  /** Requests currently holding a slot (for tests and progress). */
  get inFlight(): number {
    return this.active;
  }

  /** Requests currently allowed in flight (lowered after throttling, regained on success). */
  get currentLimit(): number {
    return this.limit;
  }

  private async withSlot<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // the slot is handed over
    try {
      while (this.pausedUntil > this.clock.now()) await this.clock.sleep(this.pausedUntil - this.clock.now());
      return await task();
    } finally {
      // Hand the slot straight to the next waiter (so the limit is never exceeded), unless the
      // limit was lowered meanwhile.
      const next = this.active <= this.limit ? this.waiting.shift() : undefined;
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * Paths in the Conditional Access / Identity Protection bucket (1 request/s per tenant). Graph
 * names CA policies, named locations and risk resources; everything under
 * `/identity/conditionalAccess` is paced (authentication contexts and strengths included) because a
 * 429 there has no Retry-After and costs more than a one-second spacing.
 */
const PACED_PATHS = [
  /^\/identity\/conditionalAccess(\/|$)/i,
  /^\/identityProtection(\/|$)/i,
  /^\/(riskDetections|riskyUsers)(\/|$)/i,
];

export function isPacedPath(path: string): boolean {
  return PACED_PATHS.some((re) => re.test(path));
}
