import type { Clock } from "./clock.js";

/**
 * Graph's identity-and-access resource-unit limits are token buckets sized per 10 s (3,500 / 5,000 /
 * 8,000 RU per 10 s per app and tenant; docs/graph-behaviour.md §4): a full bucket holds 10 s of refill.
 */
const WINDOW_MS = 10_000;

/**
 * Graph reports `x-ms-throttle-limit-percentage` only on answers given while the app has used more
 * than 0.8 of its limit (docs/graph-behaviour.md §4): an answer without it found at least this share
 * of the bucket unused.
 */
const UNUSED_WITHOUT_REPORT = 0.2;

/** An answer that cost resource units, by when its request was sent. */
interface Admitted {
  sentAt: number;
  units: number;
}

/**
 * Spreads `$batch` requests at the rate Graph refills its resource-unit bucket, once that bucket has
 * run dry, instead of sending full batches into an empty bucket and re-sending their throttled
 * items. It keeps a copy of the bucket built only from what Graph documents and tells
 * (docs/graph-behaviour.md §4, "Pacing"):
 * - the bucket holds 10 s of refill and only requests beyond it are throttled, so a request answered
 *   429 for resource units arrived at an empty bucket, and one that went through cost what its
 *   `x-ms-resource-unit` says;
 * - so between two moments the bucket was empty, it refilled exactly the units it admitted from
 *   requests sent in between: the rate is measured, never guessed. The first measurement runs from
 *   the first request (the bucket taken as full, 10 s of refill) to the first 429; later ones from an
 *   empty moment at least a window before the latest one (a bucket window of answers, so the few
 *   requests in flight at either end hardly matter), or from the last moment the copy says the bucket
 *   was full again (its refill beyond that was lost). Answers that arrive late still count for the
 *   span they were sent in;
 * - a request is sent once the copy holds its estimated cost: the copy refills at the measured rate
 *   up to one window, so the time requests had to wait (a `Retry-After` pause of the whole gateway,
 *   limiter.ts) is spent afterwards, as Graph's bucket allows, instead of being lost;
 * - a 429 for a request sent after the copy was last corrected says the copy is ahead of Graph's
 *   bucket: the copy is emptied then (no fixed cut), less what Graph charged for the throttled items
 *   and what was sent since (Graph charges throttled requests too), and the next measurement
 *   corrects the rate by exactly the excess the 429s showed;
 * - the other way, once Graph has shown that it reports `x-ms-throttle-limit-percentage`, an answer
 *   without it found a fifth of the bucket or more unused: the copy is behind (say another client
 *   of the app had used the bucket before, so the first measurement came out low). The copy is
 *   given that fifth, less what was sent since, and the rate is raised to what the span since the
 *   last empty moment then proves at least; the next 429 measures it exactly.
 * Until the first 429 nothing is paced (a tenant never throttled pays nothing).
 */
export class ResourceUnitPacer {
  private spentTotal = 0;
  private items = 0;
  /** When the first admitted request was sent: the bucket is taken to have been full then. */
  private firstSent: number | undefined;
  /** Answers by send time, from `keepFrom` on (a measurement never starts earlier). */
  private admitted: Admitted[] = [];
  /** Units charged for throttled requests, by when they were sent (same window as `admitted`). */
  private charged: Admitted[] = [];
  private keepFrom = Number.NEGATIVE_INFINITY;
  /** Send times of requests throttled for resource units: the bucket was empty when each arrived. */
  private empties: number[] = [];
  /** RU per millisecond, once measured. */
  private rate: number | undefined;
  /** The copy of Graph's bucket: its tokens at `tokensAt` (below 0: reserved ahead). */
  private tokens = 0;
  private tokensAt = 0;
  /** The last time the copy was full (refill beyond it was lost), if it ever was. */
  private fullAt = Number.NEGATIVE_INFINITY;
  /** When the first request throttled for resource units was sent. */
  private firstEmpty = Number.NEGATIVE_INFINITY;
  /** When the copy was last emptied by a 429: throttling of requests sent before says nothing new. */
  private correctedAt = Number.NEGATIVE_INFINITY;
  /** Graph has sent `x-ms-throttle-limit-percentage` on some answer. */
  private reportsUse = false;
  /** RU reserved so far, and its running total by when recent reservations may leave (to tell what was sent since a time). */
  private reservedTotal = 0;
  private reservations: Array<{ at: number; total: number }> = [];

  constructor(private readonly clock: Clock) {}

  /**
   * A request sent at `sentAt` went through and cost `units` RU (1 when Graph did not say);
   * `reportedUse`: its answer carried `x-ms-throttle-limit-percentage`.
   */
  spend(units: number, sentAt = this.clock.now(), reportedUse?: boolean): void {
    const cost = Number.isFinite(units) && units > 0 ? units : 1;
    this.firstSent = Math.min(this.firstSent ?? sentAt, sentAt);
    this.spentTotal += cost;
    this.items++;
    if (reportedUse === true) this.reportsUse = true;
    if (sentAt < this.keepFrom) return;
    this.admitted.push({ sentAt, units: cost });
    // An answer to a request sent before the latest empty moment belongs to a span measured already.
    const latest = this.empties[this.empties.length - 1];
    if (latest !== undefined && sentAt <= latest) this.measure();
    if (reportedUse === false && this.reportsUse) this.unusedAt(sentAt);
  }

  /**
   * A request sent at `sentAt` was answered 429 for resource units; `charge`: the units its throttled
   * items cost all the same (their `x-ms-resource-unit`), since Graph keeps counting a throttled
   * client's requests (docs/graph-behaviour.md §4): the bucket went that much below empty;
   * `retryAfterMs`: the longest `Retry-After` among them.
   */
  throttled(sentAt: number, charge = 0, retryAfterMs?: number): void {
    const now = this.clock.now();
    if (this.firstSent === undefined) return; // nothing admitted yet: nothing to measure from
    if (charge > 0 && sentAt >= this.keepFrom) this.charged.push({ sentAt, units: charge });
    insertSorted(this.empties, sentAt);
    const first = this.rate === undefined;
    this.measure();
    if (this.rate === undefined) return;
    if (first) this.tokensAt = now; // the copy starts empty now
    this.refill(now);
    // Graph's bucket held less than one item when the request arrived, then charged its throttled
    // items, and has since refilled at the rate and taken what was sent after it (throttled or not,
    // every request costs its units): the copy holds at most that. A gap between copy and bucket
    // would otherwise throttle a few items of every batch for good, each charge keeping it open.
    const since = this.rate * Math.max(0, now - sentAt) - this.reservedSince(sentAt);
    let bound = since - charge;
    // Below empty, by how much a 429 alone does not say; the Retry-After of a metered one (it said
    // what it cost) does: the bucket holds an item's cost again only then (whole seconds, rounded
    // up), so it was at least that far below.
    if (charge > 0 && retryAfterMs !== undefined && retryAfterMs > 1_000) bound = Math.min(bound, since + this.estimate(1) - this.rate * (retryAfterMs - 1_000));
    if (first) {
      this.tokens = Math.min(0, bound);
      this.correctedAt = now;
      this.firstEmpty = sentAt;
    } else if (sentAt <= this.firstEmpty) {
      // Sent with the first throttled request, before any pacing: its charge is news to the copy.
      this.tokens -= charge;
    } else if (sentAt > this.correctedAt) {
      this.tokens = Math.min(this.tokens, 0, bound);
      this.correctedAt = now;
    } else {
      this.tokens = Math.min(this.tokens, bound);
    }
  }

  /** The RU a request of `count` items should cost, from what items cost so far. */
  estimate(count: number): number {
    return count * (this.items > 0 ? this.spentTotal / this.items : 1);
  }

  /** Milliseconds to wait before sending a request of `units` RU; reserves its place. 0 while not pacing. */
  reserve(units: number): number {
    const now = this.clock.now();
    if (this.rate === undefined) {
      // Not pacing yet, but logged: the first 429 needs what was sent after the throttled request.
      this.reservedTotal += units;
      this.reservations.push({ at: now, total: this.reservedTotal });
      if (this.reservations.length > 4_096) this.reservations = this.reservations.slice(-2_048);
      return 0;
    }
    this.refill(now);
    const wait = this.tokens >= units ? 0 : (units - this.tokens) / this.rate;
    this.tokens -= units;
    this.reservedTotal += units;
    // Logged at when the request may leave (these times only grow while the rate holds).
    this.reservations.push({ at: now + wait, total: this.reservedTotal });
    if (this.reservations.length > 4_096) this.reservations = this.reservations.slice(-2_048);
    return wait;
  }

  /** The measured refill rate in RU per second, once throttled. */
  get ratePerSecond(): number | undefined {
    return this.rate === undefined ? undefined : this.rate * 1000;
  }

  /** Graph's bucket had a fifth or more unused when a request sent at `sentAt` arrived (see the class). */
  private unusedAt(sentAt: number): void {
    if (this.rate === undefined || sentAt <= this.correctedAt) return;
    const now = this.clock.now();
    this.refill(now);
    const capacity = this.rate * WINDOW_MS;
    // Still there net of everything sent since, refilled at least at the rate the copy assumes.
    const floor = UNUSED_WITHOUT_REPORT * capacity + this.rate * (now - sentAt) - this.reservedSince(sentAt);
    if (floor > this.tokens) this.tokens = Math.min(capacity, floor);
    // Empty at the last empty moment, a fifth unused at `sentAt`: the refill in between was at least
    // what was admitted plus that fifth (R·Δ ≥ A + 0.2·R·W).
    const empty = this.empties[this.empties.length - 1];
    if (empty === undefined || this.fullAt > empty) return;
    const span = sentAt - empty - UNUSED_WITHOUT_REPORT * WINDOW_MS;
    if (span <= 0) return;
    let units = 0;
    for (const answer of this.admitted) if (answer.sentAt > empty && answer.sentAt <= sentAt) units += answer.units;
    if (units / span > this.rate) this.rate = units / span;
  }

  /** RU of reservations that leave after `at` (all the log holds when it holds none older). */
  private reservedSince(at: number): number {
    for (let i = this.reservations.length - 1; i >= 0; i--) {
      const entry = this.reservations[i] as { at: number; total: number };
      if (entry.at <= at) return this.reservedTotal - entry.total;
    }
    return this.reservations.length > 0 ? this.reservedTotal - ((this.reservations[0] as { total: number }).total) : 0;
  }

  private refill(now: number): void {
    if (this.rate === undefined || now <= this.tokensAt) return;
    const capacity = this.rate * WINDOW_MS;
    const tokens = this.tokens + this.rate * (now - this.tokensAt);
    if (tokens >= capacity) this.fullAt = now;
    this.tokens = Math.min(capacity, tokens);
    this.tokensAt = now;
  }

  /** The refill rate over the longest span the bucket was known empty (or full) at both ends of. */
  private measure(): void {
    const end = this.empties[this.empties.length - 1];
    if (end === undefined || this.firstSent === undefined) return;
    let earlier: number | undefined;
    for (const at of this.empties) {
      if (at > end - WINDOW_MS) break;
      earlier = at;
    }
    // From a full bucket the span gains the window's worth of units it held.
    const fromFull = earlier === undefined || this.fullAt > earlier;
    const start = earlier === undefined ? Math.max(this.firstSent, this.fullAt) : Math.max(earlier, this.fullAt);
    if (start > end || (start === end && !fromFull)) return;
    // Items sent with the throttled one (the same batch) were admitted before the bucket ran dry: a
    // span ends with them, and the next span (from that empty moment) starts after them.
    let units = 0;
    for (const answer of this.admitted) if ((answer.sentAt > start || (fromFull && answer.sentAt === start)) && answer.sentAt <= end) units += answer.units;
    // Throttled requests took units too: those charged at the first empty moment (the bucket went
    // below empty then, and refilled that as well), not those at the last (charged after it was empty).
    for (const charge of this.charged) if (charge.sentAt >= start && charge.sentAt < end) units += charge.units;
    const span = end - start + (fromFull ? WINDOW_MS : 0);
    if (units > 0) this.rate = units / span;
    // Later measurements never start before this one: older answers and empty moments can go.
    this.keepFrom = start;
    this.admitted = this.admitted.filter((answer) => answer.sentAt >= start);
    this.empties = this.empties.filter((at) => at >= start);
    this.charged = this.charged.filter((charge) => charge.sentAt >= start);
  }
}

function insertSorted(values: number[], value: number): void {
  let at = values.length;
  while (at > 0 && (values[at - 1] as number) > value) at--;
  values.splice(at, 0, value);
}
