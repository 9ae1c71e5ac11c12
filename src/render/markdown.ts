import type { Plan, PlanChange } from "../model/plan.js";
import { changedByText, changeLines, headline, type RenderMode } from "./change-lines.js";
import { mermaidGraph } from "./mermaid.js";
import { impactMarkdown } from "./impact.js";
import { summaryLine } from "./summary-line.js";

/** GitHub's limit for an issue or PR comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  mode?: RenderMode;
  /** Maximum length in characters; default GitHub's comment limit. */
  maxLength?: number;
  /** Where the full plan can be read when this one is truncated (e.g. the job summary URL). */
  fullPlanHint?: string;
}

/** `<!-- entra-gitops-plan:<env> -->`: CI finds its earlier comment by this line and edits it in place. */
export function commentMarker(plan: Pick<Plan, "environment">, mode: RenderMode = "plan"): string {
  return `<!-- entra-gitops-${mode}:${plan.environment ?? "default"} -->`;
}

/**
 * The plan as GitHub markdown for a PR comment or `$GITHUB_STEP_SUMMARY`: marker, summary table,
 * guard findings in a callout, a mermaid graph, and one `<details>` per changed object. Kept under
 * `maxLength`: the graph goes first, then object details, each replaced by a note.
 */
export function renderMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const mode = options.mode ?? "plan";
  const limit = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const changed = plan.changes.filter((c) => c.action !== "noop");
  const head = [commentMarker(plan, mode), header(plan, mode), summaryTable(plan, mode), callouts(plan), plan.impact ? impactMarkdown(plan.impact) : ""].filter(Boolean).join("\n\n");
  const graph = mermaidGraph(plan, mode);
  const graphBlock = graph ? `<details><summary>Dependency graph</summary>\n\n\`\`\`mermaid\n${graph}\n\`\`\`\n\n</details>` : "";
  const details = changed.map((c) => detailsBlock(c, mode));
  const unmanaged = unmanagedBlock(plan, mode);
  const footer = `<sub>${summaryLine(plan, mode)}</sub>`;

  const full = [head, graphBlock, ...details, unmanaged, footer].filter(Boolean).join("\n\n");
  if (full.length <= limit) return `${full}\n`;

  const hint = options.fullPlanHint ?? "the plan artifact (`entra-gitops plan --out plan.json`) or the job summary";
  const noteFor = (hidden: number): string =>
    `> [!NOTE]\n> Truncated to fit GitHub's ${limit.toLocaleString("en-US")}-character limit: ${hidden} of ${changed.length} changed objects are listed without details${graph ? " and the dependency graph is left out" : ""}. The full plan is in ${hint}.`;
  const shorts = changed.map((c) => shortLine(c, mode));
  const shortsTotal = shorts.reduce((n, l) => n + l.length + 1, 0);
  // Room for the one-line list of objects shown without details: at most a quarter of the limit.
  const listReserve = Math.min(shortsTotal, Math.floor(limit / 4));
  const fixed = head.length + noteFor(changed.length).length + footer.length + 96;
  // Details go to the riskiest changes first (guarded, deletes, replaces), shown in plan order.
  const flagged = new Set(plan.guards.filter((g) => g.severity === "block").map((g) => g.address));
  const priority = changed.map((c, i) => ({ i, rank: reviewRank(c, flagged) })).sort((a, b) => a.rank - b.rank || a.i - b.i);
  const withDetails = new Set<number>();
  let used = fixed + listReserve;
  for (const { i } of priority) {
    const size = (details[i]?.length ?? 0) + 2 - ((shorts[i]?.length ?? 0) + 1);
    if (used + size > limit) continue;
    withDetails.add(i);
    used += size;
  }
  const parts: string[] = [head];
  used = fixed;
  changed.forEach((_, i) => {
    if (!withDetails.has(i)) return;
    parts.push(details[i] as string);
    used += (details[i]?.length ?? 0) + 2;
  });
  const listed: string[] = [];
  let unlisted = 0;
  changed.forEach((_, i) => {
    if (withDetails.has(i)) return;
    const line = shorts[i] as string;
    if (used + line.length + 1 + 40 > limit) {
      unlisted += 1;
      return;
    }
    listed.push(line);
    used += line.length + 1;
  });
  if (listed.length || unlisted) parts.push([...listed, ...(unlisted ? [`- … and ${unlisted} more`] : [])].join("\n"));
  parts.push(noteFor(changed.length - withDetails.size), footer);
  const text = parts.join("\n\n");
  return `${text.length < limit ? text : `${text.slice(0, limit - 40)}\n\n…(truncated)`}\n`;
}

function reviewRank(change: PlanChange, flagged: ReadonlySet<string | undefined>): number {
  if (flagged.has(change.address)) return 0;
  switch (change.action) {
    case "delete":
      return 1;
    case "update":
      return change.replace ? 1 : 2;
    case "restore":
      return 3;
    case "create":
      return 4;
    case "noop":
      return 5;
  }
}

function header(plan: Plan, mode: RenderMode): string {
  const title = mode === "plan" ? "entra-gitops plan" : "entra-gitops drift: changes made outside git";
  const env = plan.environment ? ` · \`${plan.environment}\`` : "";
  const meta = [`tenant \`${plan.tenantId}\``, `revision \`${plan.gitRevision ? plan.gitRevision.slice(0, 12) : "not in git"}\``, `config \`${plan.configDigest.slice(0, 19)}\``, plan.createdAt].join(" · ");
  return `### ${title}${env}\n\n${meta}`;
}

function summaryTable(plan: Plan, mode: RenderMode): string {
  const s = plan.summary;
  if (mode === "drift") {
    return ["| Changed outside git | Created outside git | Deleted outside git | Unchanged |", "|---:|---:|---:|---:|", `| ${s.update} | ${s.delete + s.unmanaged} | ${s.create + s.restore} | ${s.noop} |`].join("\n");
  }
  return [
    "| `+` Create | `~` Update | `-/+` Replace | `-` Delete | `↺` Restore | Unchanged | Unmanaged |",
    "|---:|---:|---:|---:|---:|---:|---:|",
    `| ${s.create} | ${s.update - s.replace} | ${s.replace} | ${s.delete} | ${s.restore} | ${s.noop} | ${s.unmanaged} |`,
  ].join("\n");
}

const MAX_CALLOUT_ITEMS = 50;

function callouts(plan: Plan): string {
  const blocks: string[] = [];
  const list = (items: string[]): string =>
    [...items.slice(0, MAX_CALLOUT_ITEMS), ...(items.length > MAX_CALLOUT_ITEMS ? [`… and ${items.length - MAX_CALLOUT_ITEMS} more`] : [])].map((i) => `> - ${i}`).join("\n");
  const blocking = plan.guards.filter((g) => g.severity === "block" && !g.overridden);
  if (blocking.length) {
    blocks.push(`> [!CAUTION]\n> **Apply is blocked by ${blocking.length} guard finding${blocking.length === 1 ? "" : "s"}**\n${list(blocking.map((g) => `**${g.guard}**: ${escapeMd(g.message)} — override: \`${g.override}\``))}`);
  }
  const overridden = plan.guards.filter((g) => g.overridden);
  if (overridden.length) blocks.push(`> [!WARNING]\n> **Overridden safety checks** (${plan.overrides.join(", ")})\n${list(overridden.map((g) => `**${g.guard}**: ${escapeMd(g.message)}`))}`);
  const errors = plan.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) blocks.push(`> [!CAUTION]\n> **${errors.length} error${errors.length === 1 ? "" : "s"}**\n${list(errors.map((d) => `${d.address ? `\`${d.address}\`: ` : ""}${escapeMd(d.message)}`))}`);
  const notes = [...plan.diagnostics.filter((d) => d.severity !== "error"), ...plan.guards.filter((g) => g.severity === "info")];
  if (notes.length) blocks.push(`> [!NOTE]\n${list(notes.map((n) => `${"address" in n && n.address ? `\`${n.address}\`: ` : ""}${escapeMd(n.message)}`))}`);
  return blocks.join("\n\n");
}

function detailsBlock(change: PlanChange, mode: RenderMode): string {
  const head = headline(change, mode);
  const lines = changeLines(change, mode).flatMap((l) => (l.split ? l.split.map(([sign, text]) => `${sign} ${text}`) : [`${l.sign === "~" ? "!" : l.sign} ${l.text}`]));
  const body = lines.join("\n");
  const fence = "`".repeat(Math.max(3, longestBacktickRun(body) + 1));
  const count = change.action === "update" || change.action === "restore" ? ` · ${change.fields.length} field${change.fields.length === 1 ? "" : "s"}` : "";
  return `<details><summary><code>${escapeHtml(head.symbol)}</code> <code>${escapeHtml(change.address)}</code> ${escapeHtml(head.verb)}${count}</summary>\n\n${fence}diff\n${body}\n${fence}\n\n</details>`;
}

function unmanagedBlock(plan: Plan, mode: RenderMode): string {
  if (!plan.unmanaged.length) return "";
  const title = mode === "plan" ? "in the tenant with no document (left alone)" : "created outside git (not in git)";
  const items = plan.unmanaged.slice(0, 200).map((u) => `- \`${u.address}\` (${u.id})`);
  if (plan.unmanaged.length > 200) items.push(`- … and ${plan.unmanaged.length - 200} more`);
  return `<details><summary>${plan.unmanaged.length} object${plan.unmanaged.length === 1 ? "" : "s"} ${title}</summary>\n\n${items.join("\n")}\n\n</details>`;
}

function shortLine(change: PlanChange, mode: RenderMode): string {
  const head = headline(change, mode);
  const by = mode === "drift" && change.action !== "noop" && change.changedBy ? escapeMd(changedByText(change.changedBy)) : "";
  return `- \`${head.symbol}\` \`${change.address}\`${by}`;
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeMd(text: string): string {
  return text.replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
