/** A token bucket that refills continuously on an injected time source (milliseconds). */

export interface BucketSize {
  /** Tokens available when full. */
  capacity: number;
  /** Time in which an empty bucket refills completely. */
  windowMs: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly size: BucketSize,
    private readonly now: () => number,
  ) {
    this.tokens = size.capacity;
    this.last = now();
  }

  /** Milliseconds until `cost` tokens are available; 0 when they are available now. */
  waitFor(cost: number): number {
    this.refill();
    // A request larger than the whole bucket is let through once the bucket is full.
    const need = Math.min(cost, this.size.capacity);
    if (this.tokens >= need) return 0;
    const rate = this.size.capacity / this.size.windowMs;
    return Math.ceil((need - this.tokens) / rate);
  }

  take(cost: number): void {
    this.refill();
    this.tokens -= cost;
  }

  /**
   * Charges a refused request: Graph "continues to log resource usage while a client is being
   * throttled" (docs/graph-behaviour.md §4), so a request sent into an empty bucket still costs its
   * units and an early retry pushes the refill further out. The debt is bounded by one bucket.
   */
  charge(cost: number): void {
    this.refill();
    this.tokens = Math.max(-this.size.capacity, this.tokens - cost);
  }

  /** Fraction of the bucket used, 0 (full) to 1 (empty). */
  usedFraction(): number {
    this.refill();
    return 1 - Math.max(0, this.tokens) / this.size.capacity;
  }

  private refill(): void {
    const now = this.now();
    const elapsed = now - this.last;
    if (elapsed <= 0) return;
    this.last = now;
    this.tokens = Math.min(this.size.capacity, this.tokens + (elapsed * this.size.capacity) / this.size.windowMs);
  }
}
