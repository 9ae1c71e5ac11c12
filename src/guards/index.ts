export { runGuards } from "./run-guards.js";
export { deleteGuard } from "./delete-guard.js";
export { protectedGuard } from "./protected-guard.js";
export { recreateGuard } from "./recreate-guard.js";
export { lockoutGuard, planLockouts, RECOVERY_ROLES } from "./lockout-guard.js";
export { applyReportOnlyNewPolicies, REPORT_ONLY_STATE } from "./report-only.js";
export { globToRegExp, matchesAny } from "./glob.js";
export * from "./types.js";
