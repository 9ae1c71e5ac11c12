import type { Plan } from "../model/plan.js";
import type { RenderMode } from "./change-lines.js";

/** `Plan: 1 to create, 2 to update, 0 to delete, 1 to restore; 10 unchanged.` or the drift wording. */
export function summaryLine(plan: Pick<Plan, "summary">, mode: RenderMode): string {
  const s = plan.summary;
  if (mode === "drift") {
    const total = s.update + s.create + s.delete + s.restore + s.unmanaged;
    if (total === 0) return s.hidden ? `No drift in what Graph returns; ${hiddenText(s.hidden)}` : "No drift: the tenant matches git.";
    return `Drift: ${s.update} changed outside git, ${s.delete + s.unmanaged} created outside git, ${s.create + s.restore} deleted outside git; ${s.noop} unchanged.`;
  }
  if (s.create + s.update + s.delete + s.restore === 0) {
    if (s.hidden) return `No changes in the fields Graph returns (${s.noop} objects); ${hiddenText(s.hidden)}${blockedText(s.blocked, s.errors)}`;
    return `No changes. The tenant matches the configuration (${s.noop} objects).${blockedText(s.blocked, s.errors)}`;
  }
  const replace = s.replace ? ` (${s.replace} to replace)` : "";
  const hidden = s.hidden ? ` ${hiddenText(s.hidden)}` : "";
  return `Plan: ${s.create} to create, ${s.update} to update${replace}, ${s.delete} to delete, ${s.restore} to restore; ${s.noop} unchanged.${hidden}${blockedText(s.blocked, s.errors)}`;
}

function hiddenText(hidden: number): string {
  return `${hidden} object${hidden === 1 ? " has" : "s have"} beta-only fields this plan cannot see (see the warnings).`;
}

function blockedText(blocked: number, errors: number): string {
  const parts: string[] = [];
  if (errors) parts.push(`${errors} error${errors === 1 ? "" : "s"}`);
  if (blocked) parts.push(`${blocked} guard finding${blocked === 1 ? "" : "s"} block apply`);
  return parts.length ? ` ${parts.join("; ")}.` : "";
}
