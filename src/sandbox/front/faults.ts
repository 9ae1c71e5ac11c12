import { seededRandom } from "../tenant/core/seeded-random.js";

/**
 * Fault injection for Graph requests: a scripted queue for tests (`inject`) and random 5xx /
 * connection-reset rates drawn from a seeded PRNG, so a run with the same seed fails the same way.
 */

export type ScriptedStatus = 429 | 500 | 503 | 504;

export interface FaultRule {
  /** Only requests with this method (any when omitted). */
  method?: string;
  /** Path after the version (e.g. `/users`): a RegExp, or a string the path must contain. */
  pathPattern?: string | RegExp;
  status: ScriptedStatus | "reset";
  /** How many matching requests fail; default 1. */
  count?: number;
  /** `Retry-After` seconds on 429/503 (none when omitted). */
  retryAfter?: number;
}

export interface RandomFaultOptions {
  /** Probability (0–1) that a Graph request fails with a random 500/503/504. */
  errorRate?: number;
  /** Probability (0–1) that the connection is reset instead of answered. */
  resetRate?: number;
  /** PRNG seed; default 1. */
  seed?: number;
}

export type FaultDecision =
  | { kind: "none" }
  | { kind: "reset" }
  | { kind: "status"; status: ScriptedStatus; retryAfter?: number };

export interface FaultControls {
  /** Queues a scripted fault. */
  inject(rule: FaultRule): void;
  /** Drops every queued fault. */
  clear(): void;
  /** Scripted faults not yet used up. */
  pending(): number;
  /** Changes the random rates at run time. */
  setRandom(options: RandomFaultOptions): void;
}

interface QueuedRule extends FaultRule {
  remaining: number;
}

const RANDOM_STATUSES: readonly ScriptedStatus[] = [500, 503, 504];

export class FaultInjector implements FaultControls {
  private queue: QueuedRule[] = [];
  private errorRate: number;
  private resetRate: number;
  private random: () => number;

  constructor(options: RandomFaultOptions = {}) {
    this.errorRate = options.errorRate ?? 0;
    this.resetRate = options.resetRate ?? 0;
    this.random = seededRandom(options.seed ?? 1);
  }

  inject(rule: FaultRule): void {
    this.queue.push({ ...rule, remaining: rule.count ?? 1 });
  }

  clear(): void {
    this.queue = [];
  }

  pending(): number {
    return this.queue.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  setRandom(options: RandomFaultOptions): void {
    if (options.errorRate !== undefined) this.errorRate = options.errorRate;
    if (options.resetRate !== undefined) this.resetRate = options.resetRate;
    if (options.seed !== undefined) this.random = seededRandom(options.seed);
  }

  /** The fault for this request, if any; consumes one use of a matching scripted rule. */
  next(method: string, path: string, allowReset = true): FaultDecision {
    const index = this.queue.findIndex((rule) => matches(rule, method, path) && (allowReset || rule.status !== "reset"));
    const rule = this.queue[index];
    if (rule) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.queue.splice(index, 1);
      if (rule.status === "reset") return { kind: "reset" };
      return rule.retryAfter === undefined
        ? { kind: "status", status: rule.status }
        : { kind: "status", status: rule.status, retryAfter: rule.retryAfter };
    }
    if (this.resetRate > 0 && allowReset && this.random() < this.resetRate) return { kind: "reset" };
    if (this.errorRate > 0 && this.random() < this.errorRate) {
      const status = RANDOM_STATUSES[Math.floor(this.random() * RANDOM_STATUSES.length)] ?? 503;
      return { kind: "status", status };
    }
    return { kind: "none" };
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.pathPattern === undefined) return true;
  if (typeof rule.pathPattern === "string") return path.toLowerCase().includes(rule.pathPattern.toLowerCase());
  return rule.pathPattern.test(path);
}
