import type { Clock } from "./clock.js";

/**
 * Keeps the gateway inside Graph's throttling instead of bouncing off it:
 * - at most `maxConcurrency` requests in flight;
 * - a shared pause after a 429 with `Retry-After`, so the other in-flight callers do not each
 *   collect their own 429 (octokit's throttling plugin does the same);
 * - Conditional Access, named locations and Identity Protection share one bucket of 1 request per
 *   second per tenant for all apps, whose 429 has no Retry-After (GRAPH-FACTS §4): requests there
 *   go one at a time, `paceIntervalMs` apart.
 */
export class RequestLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private pausedUntil = 0;
  private paceChain: Promise<void> = Promise.resolve();
  private nextPacedStart = 0;

  constructor(
    private readonly clock: Clock,
    readonly maxConcurrency: number,
    readonly paceIntervalMs: number,
    /** Told how long a request is held back by a shared pause after a 429. */
    private readonly onPause?: (ms: number) => void,
  ) {
    if (maxConcurrency < 1) throw new Error("maxConcurrency must be at least 1");
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
      this.nextPacedStart = this.clock.now() + this.paceIntervalMs;
      return await this.withSlot(task);
    } finally {
      release();
    }
  }

  /** After a 429 with Retry-After: hold back every new request until then. */
  pauseUntil(time: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, time);
  }

  /** After a 429 in the paced bucket: push its next start back by `delayMs`. */
  backOffPaced(delayMs: number): void {
    this.nextPacedStart = Math.max(this.nextPacedStart, this.clock.now() + delayMs);
  }

  /** How long a new request would wait for a shared pause now (for the stats). */
  pendingPauseMs(): number {
    return Math.max(0, this.pausedUntil - this.clock.now());
  }

  private async withSlot<T>(task: () => Promise<T>): Promise<T> {
    while (this.pausedUntil > this.clock.now()) {
      const wait = this.pausedUntil - this.clock.now();
      this.onPause?.(wait);
      await this.clock.sleep(wait);
    }
    // A finishing request hands its slot straight to the next waiter, so the limit is never exceeded.
    if (this.active < this.maxConcurrency) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  /** Requests currently holding a slot (for tests and progress). */
  get inFlight(): number {
    return this.active;
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
