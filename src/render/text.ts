import type { Plan, PlanChange } from "../model/plan.js";
import { changeLines, headline, type RenderMode, type Sign } from "./change-lines.js";
import { impactText } from "./impact.js";
import { summaryLine } from "./summary-line.js";

export interface TextOptions {
  /** ANSI colours; the caller decides (TTY, not CI). */
  color: boolean;
  mode?: RenderMode;
  /** Also list unchanged objects. Default false. */
  showUnchanged?: boolean;
}

/** Unmanaged objects listed by name; a tenant with thousands of them gets a count instead. */
const UNMANAGED_SHOWN = 100;

const ANSI = { reset: "\u001b[0m", bold: "\u001b[1m", red: "\u001b[31m", green: "\u001b[32m", yellow: "\u001b[33m", cyan: "\u001b[36m", dim: "\u001b[2m" } as const;
type Colour = keyof typeof ANSI;

/** The plan as terminal text, like Terraform's: `+` create, `~` update, `-` delete, `↺` restore. */
export function renderText(plan: Plan, options: TextOptions): string {
  const mode = options.mode ?? "plan";
  const paint = (colour: Colour, text: string): string => (options.color ? `${ANSI[colour]}${text}${ANSI.reset}` : text);
  const out: string[] = [];
  const title = mode === "plan" ? "entra-gitops plan" : "entra-gitops drift: changes made outside git";
  out.push(paint("bold", `${title}${plan.environment ? ` (${plan.environment})` : ""}`));
  out.push(`tenant ${plan.tenantId} · revision ${plan.gitRevision ? plan.gitRevision.slice(0, 12) : "(not in git)"} · ${plan.createdAt}`);
  out.push("");

  const visible = plan.changes.filter((c) => options.showUnchanged || c.action !== "noop");
  for (const change of visible) {
    const head = headline(change, mode);
    const colour = colourOf(change, mode);
    out.push(`  ${paint(colour, head.symbol)} ${paint("bold", change.address)}${idText(change)} ${paint(colour === "bold" ? "dim" : colour, head.verb)}`);
    for (const line of changeLines(change, mode)) {
      out.push(`      ${paint(signColour(line.sign), line.sign)} ${line.sign === "#" ? paint("dim", line.text) : line.text}`);
      for (const [sign, item] of line.items ?? []) out.push(`          ${paint(signColour(sign), sign)} ${item}`);
    }
    out.push("");
  }
  if (plan.unmanaged.length) {
    const text = mode === "plan" ? "in the tenant with no document (left alone; prune is off or the kind is a singleton)" : "created outside git (not in git; prune is off)";
    out.push(`  ${plan.unmanaged.length} object${plan.unmanaged.length === 1 ? "" : "s"} ${text}:`);
    for (const item of plan.unmanaged.slice(0, UNMANAGED_SHOWN)) out.push(`      ${paint("dim", "?")} ${item.address} (${item.id})`);
    if (plan.unmanaged.length > UNMANAGED_SHOWN) out.push(`      … and ${plan.unmanaged.length - UNMANAGED_SHOWN} more (all of them are in the JSON plan)`);
    out.push("");
  }
  if (plan.impact) out.push(...impactText(plan.impact), "");
  for (const d of plan.diagnostics) {
    const colour: Colour = d.severity === "error" ? "red" : d.severity === "warning" ? "yellow" : "dim";
    out.push(`${paint(colour, `${d.severity}:`)} ${d.address ? `${d.address}: ` : ""}${d.message}`);
  }
  for (const finding of plan.guards) {
    const label = finding.severity === "info" ? "note" : finding.overridden ? "overridden" : "blocked";
    const colour: Colour = finding.severity === "info" ? "dim" : finding.overridden ? "yellow" : "red";
    out.push(`${paint(colour, `${label} [${finding.guard}]:`)} ${finding.message}${finding.override && !finding.overridden ? `\n    to override: ${finding.override}` : ""}`);
  }
  if (plan.diagnostics.length || plan.guards.length) out.push("");
  out.push(paint("bold", summaryLine(plan, mode)));
  return `${out.join("\n")}\n`;
}

function idText(change: PlanChange): string {
  return change.action === "create" ? "" : ` (${change.id})`;
}

function colourOf(change: PlanChange, mode: RenderMode): Colour {
  const symbol = headline(change, mode).symbol;
  return symbol === "+" ? "green" : symbol === "-" ? "red" : symbol === "~" ? "yellow" : symbol === "↺" ? "cyan" : symbol === "-/+" ? "red" : "bold";
}

function signColour(sign: Sign): Colour {
  switch (sign) {
    case "+":
      return "green";
    case "-":
      return "red";
    case "~":
      return "yellow";
    case "!":
      return "red";
    case "#":
      return "dim";
  }
}
