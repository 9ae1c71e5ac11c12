import type { GraphRequest } from "../../types.js";
import type { Store } from "./store.js";
import type { TenantCore } from "./tenant-core.js";
import type { AuditInput } from "../audit/audit-log.js";
import { forbidden } from "./errors.js";
import { DELEGATED_ROLE_REQUIREMENTS } from "./delegated-roles.js";

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
    const principal = this.request.principal;
    const granted = principal.type === "app" ? principal.roles : principal.scopes;
    const lower = new Set(granted.map((g) => g.toLowerCase()));
    const usable = anyOf.filter((p) => lower.has(p.toLowerCase()));
    if (principal.type === "app" || !this.core.delegatedRoleChecks) return usable.length > 0;
    // Delegated: the scope must also be within what the signed-in user's roles allow.
    const roles = this.userRoles();
    return usable.some((scope) => {
      const required = Object.entries(DELEGATED_ROLE_REQUIREMENTS).find(([name]) => name.toLowerCase() === scope.toLowerCase())?.[1];
      return required === undefined || required.some((role) => roles.has(role));
    });
  }

  private rolesCache: Set<string> | undefined;

  /** Role template ids the signed-in user holds tenant-wide (directly or through a role-assignable group). */
  userRoles(): Set<string> {
    if (this.rolesCache) return this.rolesCache;
    const userId = this.request.principal.userId?.toLowerCase();
    const roles = new Set<string>();
    if (userId) {
      const principals = new Set([userId, ...this.store.linkSources("groups/members", userId)]);
      for (const assignment of this.store.list("roleAssignments")) {
        if (assignment["directoryScopeId"] !== "/") continue;
        if (!principals.has(String(assignment["principalId"]).toLowerCase())) continue;
        const definition = this.store.get("roleDefinitions", String(assignment["roleDefinitionId"]));
        roles.add(String(definition?.["templateId"] ?? assignment["roleDefinitionId"]).toLowerCase());
      }
    }
    this.rolesCache = roles;
    return roles;
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
