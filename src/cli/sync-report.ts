import { appendFileSync } from "node:fs";
import type { PullRequestDrift } from "../engine/sync-tenant.js";
import type { RevertOutcome, RevertTarget } from "../engine/sync/revert-drift.js";
import type { ReadReport } from "../engine/sync/read-tenant.js";
import { renderText } from "../render/text.js";
import { out, progress, useColor } from "./output.js";

/**
 * `pr` drift: names the branch so the drift workflow can open a pull request from it. In GitHub
 * Actions the name is also written to the step's outputs as `drift-branch`.
 */
export function reportPullRequest(pr: PullRequestDrift): void {
  if (pr.alreadyProposed) {
    out(`drift for a pull request is already on ${pr.branch} (an earlier sync): no new branch`);
    return;
  }
  for (const commit of pr.commits) out(`committed ${commit.commit.slice(0, 12)} on ${pr.branch}: ${commit.subject}`);
  out(`drift branch: ${pr.branch} (${pr.commits.length} commit(s) for a pull request)`);
  const outputs = process.env.GITHUB_OUTPUT;
  if (outputs) appendFileSync(outputs, `drift-branch=${pr.branch}\n`);
}

/**
 * `revert` drift: what was found, by whom, and what happened to it. Returns true when the run must
 * exit 1 (blocked, not plannable, or a write failed).
 */
export function reportRevert(revert: RevertOutcome): boolean {
  for (const target of revert.targets) out(`drift to revert: ${target.address} ${target.change} ${changedBy(target)}`);
  if (revert.plan && revert.status !== "unchanged") out(renderText(revert.plan, { color: useColor(), mode: "plan" }));
  switch (revert.status) {
    case "unchanged":
      out("Revert: nothing to write to the tenant.");
      break;
    case "planned":
      out(`Revert planned, not applied (--no-commit): ${revert.plan?.changes.filter((c) => c.action !== "noop").map((c) => `${c.action} ${c.address}`).join(", ") ?? ""}`);
      break;
    case "blocked":
    case "failed": {
      progress(`error: revert ${revert.status === "blocked" ? "refused" : "could not be planned"}; nothing was written to the tenant`);
      for (const reason of revert.reasons) {
        const where = reason.address && !reason.message.startsWith(reason.address) ? ` ${reason.address}:` : "";
        progress(`error:${where} ${reason.message}`);
      }
      if (revert.status === "blocked") {
        progress("sync applies git's state only when every guard passes: fix the committed document (or revert it in git and apply), or use drift policy commit/pr for this kind");
      }
      break;
    }
    case "reverted": {
      for (const r of revert.results) {
        out(r.status === "done" ? `reverted ${r.address} (${r.action})` : `FAILED to revert ${r.address} (${r.action}): ${r.message ?? r.status}`);
      }
      const done = revert.results.filter((r) => r.status === "done").length;
      out(`Reverted ${done} of ${revert.results.length} write(s) to the committed state; the reverted drift was not committed.`);
      break;
    }
  }
  for (const address of revert.kept) {
    progress(`warning: ${address} was created outside git and is left in place (prune is off): delete it, or set drift to commit for its kind`);
  }
  return revert.status === "blocked" || revert.status === "failed" || revert.results.some((r) => r.status !== "done");
}

function changedBy(target: RevertTarget): string {
  if (target.changedBy.length === 0) return "(no audit entry names who changed it)";
  const people = target.changedBy.map((c) => `${c.actor} at ${c.at} (${c.activity})`);
  return `by ${[...new Set(people)].join(", ")}`;
}

/** How `sync` or `drift` reads the tenant, for stderr (README "Incremental sync"). */
export function describeRead(read: ReadReport): string {
  if (read.mode === "full") return `reading the whole tenant: ${read.reason ?? "full read"}`;
  return `reading what changed since the last sync: ${read.deltaItems ?? 0} delta item(s), ${read.objects ?? 0} object(s) to read again, ${read.documents ?? 0} document(s) to compare${[...(read.whole ?? [])].map(([kind, why]) => `; ${kind} whole (${why})`).join("")}${read.listed ? `; every committed document and id listed (${read.listed})` : ""}`;
}
