/**
 * One summary across many environments (README "Several tenants"): each matrix job saves its drift
 * or plan report with `--out <environment>.json`; this table says which environment drifted, which
 * has changes to apply, and which failed (an error in its report, or no report at all).
 */
import type { PlanSummary } from "../model/plan.js";

export type TenantOutcome = "unchanged" | "changes" | "blocked" | "failed";

export interface TenantReport {
  environment: string;
  /** `drift`: a sync's or drift's report (the counts are changes made outside git). */
  mode?: "plan" | "drift";
  /** The report's summary, or undefined when the job left no readable report. */
  summary?: PlanSummary;
  /** Why there is no summary (missing file, unreadable JSON). */
  problem?: string;
}

export interface TenantRow {
  environment: string;
  outcome: TenantOutcome;
  detail: string;
}

export function tenantRow(report: TenantReport): TenantRow {
  const { environment, summary } = report;
  if (!summary) return { environment, outcome: "failed", detail: report.problem ?? "no report" };
  const changed = summary.create + summary.update + summary.delete + summary.restore;
  const detail =
    report.mode === "drift"
      ? `outside git: ${summary.update} changed, ${summary.unmanaged} created, ${summary.delete} deleted`
      : `${summary.create} create, ${summary.update} update, ${summary.delete} delete, ${summary.restore} restore, ${summary.unmanaged} unmanaged`;
  if (summary.errors > 0) return { environment, outcome: "failed", detail: `${summary.errors} error(s); ${detail}` };
  if (summary.blocked > 0) return { environment, outcome: "blocked", detail: `${summary.blocked} guard finding(s) block apply; ${detail}` };
  if (changed + summary.unmanaged > 0) return { environment, outcome: "changes", detail };
  return { environment, outcome: "unchanged", detail: `${summary.noop} object(s) match` };
}

const ORDER: TenantOutcome[] = ["failed", "blocked", "changes", "unchanged"];
const LABEL: Record<TenantOutcome, string> = { failed: "failed", blocked: "blocked", changes: "drift or changes", unchanged: "in sync" };

/** Worst first, then by name; a count line on top. */
export function sortRows(rows: readonly TenantRow[]): TenantRow[] {
  return [...rows].sort((a, b) => ORDER.indexOf(a.outcome) - ORDER.indexOf(b.outcome) || a.environment.localeCompare(b.environment));
}

export function countLine(rows: readonly TenantRow[]): string {
  const counts = ORDER.map((o) => `${rows.filter((r) => r.outcome === o).length} ${LABEL[o]}`);
  return `${rows.length} environment(s): ${counts.join(", ")}`;
}

export function renderTenantsText(rows: readonly TenantRow[]): string {
  const sorted = sortRows(rows);
  const width = Math.max(11, ...sorted.map((r) => r.environment.length));
  const lines = sorted.map((r) => `${r.environment.padEnd(width)}  ${LABEL[r.outcome].padEnd(16)}  ${r.detail}`);
  return [countLine(rows), "", ...lines].join("\n");
}

export function renderTenantsMarkdown(rows: readonly TenantRow[]): string {
  const escape = (text: string): string => text.replace(/\|/g, "\\|");
  const lines = sortRows(rows).map((r) => `| ${escape(r.environment)} | ${LABEL[r.outcome]} | ${escape(r.detail)} |`);
  return [`### entra-gitops across tenants`, "", countLine(rows), "", "| Environment | Outcome | Detail |", "|---|---|---|", ...lines].join("\n");
}
