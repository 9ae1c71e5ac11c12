import { sendBatch, toResult, type ItemResponse } from "./batch-wire.js";
import type { Clock } from "./clock.js";
import type { GraphHttp } from "./http.js";
import type { RequestLimiter } from "./limiter.js";
import type { ResourceUnitPacer } from "./resource-unit-pacer.js";
import { nextDelay, parseRetryAfter, retryableStatus, type RetryPolicy } from "./retry-policy.js";
import type { GatewayEvent } from "./stats.js";
import type { BatchRequest, BatchResult, GatewayStats, GraphVersion } from "./types.js";

/** Graph takes at most 20 requests per `$batch` (docs/graph-behaviour.md §3). */
export const BATCH_LIMIT = 20;

export interface BatchDeps {
  http: GraphHttp;
  clock: Clock;
  random: () => number;
  policy: RetryPolicy;
  stats: GatewayStats;
  limiter: RequestLimiter;
  /** Paces batches at the resource-unit rate learnt from the first throttling (optional). */
  pacer?: ResourceUnitPacer;
  onEvent?: (event: GatewayEvent) => void;
}

interface Pending {
  request: BatchRequest;
  /** Sends so far. */
  attempts: number;
  /** Not to be sent again before this time (after a throttled answer). */
  notBefore: number;
  /** Waits this item has been given so far. */
  waited: number;
}

/**
 * Many requests through JSON `$batch` (docs/graph-behaviour.md §3): GETs of a fan-out read, or writes such as
 * `$ref` adds and removals. A queue feeds up to `maxConcurrency` workers that each send the next 20
 * ready items. An item throttled inside a 200 batch (429 with its own `Retry-After`) or failing
 * transiently (503 always; 500/502/504 only for GETs and writes marked `idempotent`) goes back into
 * the queue, ready after its Retry-After (else a backoff), and the wait pauses every other request
 * of the gateway too, so the following batches do not run into the same limit; requeued items are
 * merged into full batches. A GET answer with `@odata.nextLink` is read to its last page. Every
 * other answer, success or failure, is the item's own result, by the caller's id.
 */
export async function batchSend(deps: BatchDeps, requests: readonly BatchRequest[], options: BatchOptions = {}): Promise<Map<string, BatchResult>> {
  const results = new Map<string, BatchResult>();
  const byVersion = new Map<GraphVersion, Pending[]>();
  for (const request of requests) {
    if (results.has(request.id)) throw new Error(`$batch: duplicate request id "${request.id}"`);
    results.set(request.id, { id: request.id, ok: false, status: 0, code: "NotSent", message: "not sent" });
    const version = request.options?.version ?? deps.http.defaultVersion;
    let list = byVersion.get(version);
    if (!list) byVersion.set(version, (list = []));
    list.push({ request, attempts: 0, notBefore: 0, waited: 0 });
  }
  await Promise.all([...byVersion].map(([version, queue]) => new BatchQueue(deps, version, queue, results, options.onResult).run()));
  return results;
}

export interface BatchOptions {
  /**
   * Called with each item's final result as soon as it is known (before the whole batch ends), e.g.
   * so that an export writes a group's document while other groups are still read.
   */
  onResult?: (result: BatchResult) => void;
}

/**
 * The items still to send, in linear time overall: a FIFO of ready items read from a moving head
 * (no splicing), and the items put back after a throttled answer as groups that become ready
 * together (one group per throttled batch, so the groups stay few).
 */
class PendingQueue {
  private ready: Pending[];
  private head = 0;
  private delayed: Array<{ at: number; items: Pending[] }> = [];

  constructor(items: Pending[]) {
    this.ready = items;
  }

  get size(): number {
    return this.ready.length - this.head + this.delayed.reduce((n, group) => n + group.items.length, 0);
  }

  /** Puts items back, ready at `at`. */
  later(at: number, items: Pending[]): void {
    this.delayed.push({ at, items });
  }

  /** Up to `limit` items ready at `now` (oldest first), or the time the next one becomes ready. */
  take(now: number, limit: number): Pending[] | number {
    if (this.delayed.length > 0) {
      const due = this.delayed.filter((group) => group.at <= now);
      if (due.length > 0) {
        this.delayed = this.delayed.filter((group) => group.at > now);
        this.compact();
        for (const group of due) for (const item of group.items) this.ready.push(item);
      }
    }
    const available = this.ready.length - this.head;
    if (available === 0) return Math.min(...this.delayed.map((group) => group.at));
    const count = Math.min(limit, available);
    const out = this.ready.slice(this.head, this.head + count);
    this.head += count;
    if (this.head > 1024 && this.head * 2 > this.ready.length) this.compact();
    return out;
  }

  private compact(): void {
    if (this.head === 0) return;
    this.ready = this.ready.slice(this.head);
    this.head = 0;
  }
}

class BatchQueue {
  private inFlight = 0;
  /** Until when this queue has already been told to wait (to count each wait once). */
  private horizon = 0;
  private wake: () => void = () => undefined;
  private changed: Promise<void> = this.renew();
  private readonly queue: PendingQueue;
  private readonly total: number;

  constructor(
    private readonly deps: BatchDeps,
    private readonly version: GraphVersion,
    items: Pending[],
    private readonly results: Map<string, BatchResult>,
    private readonly onResult?: (result: BatchResult) => void,
  ) {
    this.queue = new PendingQueue(items);
    this.total = items.length;
  }

  async run(): Promise<void> {
    const workers = Math.max(1, Math.min(this.deps.limiter.maxConcurrency, Math.ceil(this.total / BATCH_LIMIT)));
    await Promise.all(Array.from({ length: workers }, () => this.worker()));
  }

  private renew(): Promise<void> {
    return new Promise<void>((resolve) => (this.wake = resolve));
  }

  private async worker(): Promise<void> {
    for (;;) {
      if (this.queue.size === 0) {
        if (this.inFlight === 0) return;
        await this.changed; // a batch in flight may put items back
        continue;
      }
      const now = this.deps.clock.now();
      const ready = this.queue.take(now, BATCH_LIMIT);
      if (typeof ready === "number") {
        await this.deps.clock.sleep(ready - now);
        continue;
      }
      this.inFlight++;
      const pacer = this.deps.pacer;
      if (pacer) {
        const wait = pacer.reserve(pacer.estimate(ready.length));
        if (wait > 0) await this.deps.clock.sleep(wait);
        // The pacer learns from when each batch really left: not before a shared pause ends.
        await this.deps.limiter.unpaused();
      }
      try {
        await this.send(ready);
      } finally {
        this.inFlight--;
        const wake = this.wake;
        this.changed = this.renew();
        wake();
      }
    }
  }

  /** An item's final result. */
  private settle(result: BatchResult): void {
    this.results.set(result.id, result);
    this.onResult?.(result);
  }

  private async send(items: Pending[]): Promise<void> {
    const { deps } = this;
    for (const item of items) item.attempts++;
    const sentAt = deps.clock.now();
    const answers = await sendBatch(deps.http, this.version, items.map((i) => i.request));
    const again: Array<{ item: Pending; response: ItemResponse; retryAfterMs?: number }> = [];
    for (const [index, { response }] of answers.entries()) {
      const item = items[index];
      if (!item) continue;
      if (response.status === 429) deps.stats.throttled++;
      else if (response.status < 400) deps.pacer?.spend(Number(response.headers["x-ms-resource-unit"] ?? 1), sentAt, response.headers["x-ms-throttle-limit-percentage"] !== undefined);
      if (retryableStatus(response.status, isIdempotent(item.request))) {
        again.push({ item, response, retryAfterMs: parseRetryAfter(response.headers["retry-after"], deps.clock.now()) });
      } else {
        this.settle(await toResult(deps.http, item.request, response));
      }
    }
    if (again.length === 0) {
      deps.limiter.succeeded();
      return;
    }
    if (again.some((a) => a.response.status === 429)) {
      const forUnits = again.some((a) => a.response.status === 429 && throttledForResourceUnits(a.response.headers));
      if (forUnits && deps.pacer) deps.pacer.throttled(sentAt, chargedUnits(again), longestRetryAfter(again));
      // Batches the pacer spaces by their cost keep their workers: fewer in flight would only leave
      // the bucket's refill unused while answers are slow (ARCHITECTURE.md, the Graph gateway).
      else deps.limiter.throttled();
    }

    const hinted = again.map((a) => a.retryAfterMs).filter((ms): ms is number => ms !== undefined);
    const retryAfterMs = hinted.length > 0 ? Math.max(...hinted) : undefined;
    const attempt = Math.max(...again.map((a) => a.item.attempts));
    const waited = Math.max(...again.map((a) => a.item.waited));
    const delay = nextDelay({ attempt, retryAfterMs, waitedMs: waited, policy: deps.policy, random: deps.random });
    if (delay === undefined) {
      for (const { item, response } of again) this.settle(await toResult(deps.http, item.request, response));
      return;
    }
    const readyAt = deps.clock.now() + delay;
    if (again.some((a) => a.response.status === 429) && retryAfterMs !== undefined) deps.limiter.pauseUntil(readyAt);
    for (const { item } of again) {
      item.notBefore = readyAt;
      item.waited += delay;
    }
    this.queue.later(readyAt, again.map((a) => a.item));
    deps.stats.retries += again.length;
    // Parallel batches throttled together wait together: count the time once.
    deps.stats.waitedMs += Math.max(0, readyAt - Math.max(deps.clock.now(), this.horizon));
    this.horizon = Math.max(this.horizon, readyAt);
    deps.onEvent?.({
      type: "retry",
      method: [...new Set(again.map((a) => a.item.request.method ?? "GET"))].join("/"),
      path: "/$batch",
      status: again[0]?.response.status,
      reason: `${again.length} batch item(s) HTTP ${[...new Set(again.map((a) => a.response.status))].join("/")}`,
      attempt,
      delayMs: delay,
    });
  }
}

/**
 * A 429 of the resource-unit bucket, not of the write buckets (docs/graph-behaviour.md §4): Graph names
 * the limit in `x-ms-throttle-scope` (`<scope>/<Read|Write|ReadWrite>/…`) and the reason in
 * `x-ms-throttle-information`; a 429 that says neither is taken as a resource-unit one.
 */
/**
 * What the items throttled for resource units cost all the same, as their `x-ms-resource-unit` says
 * (a 429 that does not say is taken to have cost nothing).
 */
function chargedUnits(again: ReadonlyArray<{ response: ItemResponse }>): number {
  let units = 0;
  for (const { response } of again) {
    if (response.status !== 429 || !throttledForResourceUnits(response.headers)) continue;
    const said = Number(response.headers["x-ms-resource-unit"]);
    if (Number.isFinite(said) && said > 0) units += said;
  }
  return units;
}

function longestRetryAfter(again: ReadonlyArray<{ response: ItemResponse; retryAfterMs?: number }>): number | undefined {
  let longest: number | undefined;
  for (const { response, retryAfterMs } of again) {
    if (response.status !== 429 || retryAfterMs === undefined || !throttledForResourceUnits(response.headers)) continue;
    longest = Math.max(longest ?? 0, retryAfterMs);
  }
  return longest;
}

function throttledForResourceUnits(headers: Readonly<Record<string, string>>): boolean {
  const information = headers["x-ms-throttle-information"];
  if (information !== undefined) return information.toLowerCase() === "resourceunitlimitexceeded";
  const limit = headers["x-ms-throttle-scope"]?.split("/")[1];
  return limit?.toLowerCase() !== "write";
}

/** A GET can always be sent again; a write only when its caller says repeating it is harmless. */
function isIdempotent(request: BatchRequest): boolean {
  return (request.method ?? "GET") === "GET" || request.idempotent === true;
}
