/**
 * Graph's identity-and-access throttling model (docs/graph-behaviour.md §4), off unless enabled:
 * per app+tenant a resource-unit bucket (3,500 / 5,000 / 8,000 RU per 10 s by tenant size) and a
 * write bucket (3,000 per 150 s), a tenant-wide write bucket (18,000 per 5 min), and the
 * tenant-wide Conditional Access bucket (1 request/s, all apps; its 429 has no Retry-After).
 * Sizes are configurable so tests can use tiny buckets; time is injected.
 */
import { TokenBucket } from "./token-bucket.js";
import type { BucketSize } from "./token-bucket.js";
import type { RequestCost } from "./resource-units.js";

export interface ThrottlingOptions {
  /** Per app+tenant resource units; default sized by `userCount`. */
  resourceUnits?: BucketSize;
  /** Per app+tenant writes; default 3,000 per 150 s. */
  writes?: BucketSize;
  /** Per tenant writes, all apps; default 18,000 per 300 s. */
  tenantWrites?: BucketSize;
  /** Conditional Access and Identity Protection, per tenant, all apps; default 1 per 1,000 ms. */
  conditionalAccess?: BucketSize;
  /** Tenant user count for the default RU bucket size (<50: 3,500; 50–500: 5,000; >500: 8,000). */
  userCount?: number;
  /** Time source in milliseconds; default `performance.now()`. */
  now?: () => number;
}

export type ThrottleDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; headers: Record<string, string>; reason: string };

export function defaultResourceUnitBucket(userCount: number): BucketSize {
  const capacity = userCount < 50 ? 3500 : userCount <= 500 ? 5000 : 8000;
  return { capacity, windowMs: 10_000 };
}

interface AppBuckets {
  resourceUnits: TokenBucket;
  writes: TokenBucket;
}

export class ThrottleModel {
  private readonly apps = new Map<string, AppBuckets>();
  private readonly tenantWrites: TokenBucket;
  private readonly conditionalAccess: TokenBucket;
  private readonly now: () => number;

  constructor(
    private readonly tenantId: string,
    private readonly options: ThrottlingOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.tenantWrites = new TokenBucket(options.tenantWrites ?? { capacity: 18_000, windowMs: 300_000 }, this.now);
    this.conditionalAccess = new TokenBucket(options.conditionalAccess ?? { capacity: 1, windowMs: 1_000 }, this.now);
  }

  /** Decides whether a request may run now; charges the buckets whether it may or not (§4). */
  admit(appId: string, cost: RequestCost): ThrottleDecision {
    const headers: Record<string, string> = { "x-ms-resource-unit": String(cost.resourceUnits) };
    if (cost.conditionalAccess) {
      if (this.conditionalAccess.waitFor(1) > 0) {
        this.conditionalAccess.charge(1);
        return { allowed: false, headers, reason: "ConditionalAccessLimitExceeded" };
      }
      this.conditionalAccess.take(1);
      return { allowed: true, headers };
    }
    const app = this.bucketsFor(appId);
    const checks: Array<{ bucket: TokenBucket; cost: number; scope: string; info: string }> = [
      { bucket: app.resourceUnits, cost: cost.resourceUnits, scope: `Tenant_Application/ReadWrite/${appId}/${this.tenantId}`, info: "ResourceUnitLimitExceeded" },
    ];
    if (cost.write) {
      checks.push({ bucket: app.writes, cost: 1, scope: `Tenant_Application/Write/${appId}/${this.tenantId}`, info: "WriteLimitExceeded" });
      checks.push({ bucket: this.tenantWrites, cost: 1, scope: `Tenant/Write/${appId}/${this.tenantId}`, info: "WriteLimitExceeded" });
    }
    for (const check of checks) {
      if (check.bucket.waitFor(check.cost) > 0) {
        // A throttled request is charged too, to every bucket it counts against, and its
        // Retry-After is the time until the bucket holds its cost again after that charge.
        for (const c of checks) c.bucket.charge(c.cost);
        const waitMs = check.bucket.waitFor(check.cost);
        headers["Retry-After"] = String(Math.max(1, Math.ceil(waitMs / 1000)));
        headers["x-ms-throttle-scope"] = check.scope;
        headers["x-ms-throttle-information"] = check.info;
        return { allowed: false, headers, reason: check.info };
      }
    }
    for (const check of checks) check.bucket.take(check.cost);
    const used = Math.max(...checks.map((c) => c.bucket.usedFraction()));
    if (used > 0.8) headers["x-ms-throttle-limit-percentage"] = used.toFixed(1);
    return { allowed: true, headers };
  }

  private bucketsFor(appId: string): AppBuckets {
    let buckets = this.apps.get(appId);
    if (!buckets) {
      buckets = {
        resourceUnits: new TokenBucket(this.options.resourceUnits ?? defaultResourceUnitBucket(this.options.userCount ?? 0), this.now),
        writes: new TokenBucket(this.options.writes ?? { capacity: 3_000, windowMs: 150_000 }, this.now),
      };
      this.apps.set(appId, buckets);
    }
    return buckets;
  }
}
