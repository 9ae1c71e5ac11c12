/** Drift sync: changed documents + directory audit entries → attributed commits (pure), and recording them. */
export { attributeDrift, DEFAULT_BURST_GAP_MS } from "./attribution.js";
export { detectChanges } from "./changes.js";
export type { DetectChangesInput } from "./changes.js";
export { commitDrift } from "./commit-drift.js";
export type { CommitDriftOptions } from "./commit-drift.js";
export { parseDirectoryAudits, auditQuery } from "./audit-entry.js";
export type { DirectoryAudit, AuditUser, AuditApp, AuditTarget } from "./audit-entry.js";
export { actorOf, NO_REPLY_DOMAIN } from "./actor.js";
export type { Actor } from "./actor.js";
export type { AttributionInput, AttributedObject, ChangedObject, DriftAttribution, DriftCommit, ObjectActivity } from "./types.js";
