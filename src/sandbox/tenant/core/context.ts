import type { GraphRequest } from "../../types.js";
import type { Store } from "./store.js";
import type { TenantCore } from "./tenant-core.js";
import type { AuditInput } from "../audit/audit-log.js";
import { forbidden } from "./errors.js";

/** Everything a handler needs for one request. */
export class RequestContext {
  constructor(
    readonly core: TenantCore,
    readonly request: GraphRequest,
    /** Seeding and internal calls: no permission checks, no audit, supplied ids kept. */
    readonly system = false,
  ) {}

  get store(): Store {
    return this.core.store;
  }

  nowMs(): number {
    return this.core.clock.nowMs();
  }

  nowIso(): string {
    return this.core.clock.now().toISOString();
  }

  /** True when the caller's token carries any of the permissions (app roles or delegated scopes). */
  hasPermission(anyOf: readonly string[]): boolean {
    if (this.system) return true;
    const granted = this.request.principal.type === "app" ? this.request.principal.roles : this.request.principal.scopes;
    const lower = new Set(granted.map((g) => g.toLowerCase()));
    return anyOf.some((p) => lower.has(p.toLowerCase()));
  }

  requirePermission(anyOf: readonly string[]): void {
    if (!this.hasPermission(anyOf)) throw forbidden();
  }

  /** Reject the write with Graph's 400 unless every referenced object exists and has replicated. */
  requireReferences(ids: Iterable<string>): void {
    for (const id of ids) this.core.requireReference(id);
  }

  audit(entry: AuditInput): void {
    if (this.system) return;
    this.core.auditLog.record(this, entry);
  }

  header(name: string): string | undefined {
    return this.request.headers[name.toLowerCase()];
  }
}
