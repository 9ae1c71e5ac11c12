import { rowLine, type CaImpact, type ImpactRow } from "../model/impact.js";

/** Rows and identity lines shown in a PR comment (the JSON plan has them all). */
const ROWS_SHOWN = 30;

function population(impact: CaImpact): string {
  return `${impact.population.users} known users in ${impact.population.strata} groups of identical policies, and everyone else; ${impact.population.signInsPerTarget} ordinary sign-ins per application`;
}

const names = (row: ImpactRow): string => (row.names.length ? `${row.names.join(", ")}${row.users > row.names.length ? `, … (${row.users - row.names.length} more)` : ""}` : "");

/** Text lines for the terminal plan. */
export function impactText(impact: CaImpact): string[] {
  const out = [`Conditional Access impact (${population(impact)}):`];
  for (const row of impact.rows) out.push(`  - ${rowLine(row)}${row.names.length ? `: ${names(row)}` : ""}`);
  for (const i of impact.identities) out.push(`  - ${i.label}: ${i.before} → ${i.after} (${i.target})`);
  if (impact.breakGlass === "unaffected") out.push("  - break-glass unaffected");
  if (impact.rows.length === 0 && impact.identities.length === 0) out.push("  - no change in access");
  return out;
}

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The compact markdown table for the PR comment. */
export function impactMarkdown(impact: CaImpact): string {
  const lines = [`#### Conditional Access impact`, "", `<sub>${population(impact)}</sub>`, ""];
  if (impact.rows.length === 0 && impact.identities.length === 0) lines.push("**No change in access.**", "");
  if (impact.rows.length) {
    lines.push("| users | change | for | who |", "|---:|---|---|---|");
    for (const row of impact.rows.slice(0, ROWS_SHOWN)) lines.push(`| ${row.users}${row.allOtherUsers ? " + everyone else" : ""} | ${cell(row.effect)} | \`${cell(row.target)}\` | ${cell(names(row))} |`);
    if (impact.rows.length > ROWS_SHOWN) lines.push(`| | … ${impact.rows.length - ROWS_SHOWN} more rows in the JSON plan | | |`);
    lines.push("");
  }
  for (const i of impact.identities.slice(0, ROWS_SHOWN)) lines.push(`- **${cell(i.label)}** (\`${cell(i.target)}\`): ${cell(i.before)} → ${cell(i.after)}`);
  if (impact.breakGlass === "unaffected") lines.push("- break-glass unaffected");
  return lines.join("\n").trimEnd();
}
