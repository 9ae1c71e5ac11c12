import type { Address } from "../model/kind.js";
import { parseReference } from "../kinds/reference-syntax.js";
import { kindOfPrefix } from "../kinds/registry.js";
import type { Plan } from "../model/plan.js";
import { headline, type RenderMode } from "./change-lines.js";

/** Above this many changed objects the graph is left out: it would not be readable. */
export const MERMAID_MAX_NODES = 60;

const CLASS: Record<string, string> = { "+": "create", "~": "update", "-": "delete", "-/+": "replace", "↺": "restore" };

/**
 * A mermaid flowchart of the changed objects and what they reference (`uses` edges), for the PR
 * comment. Referenced objects that do not change appear as plain nodes. Undefined when empty or too big.
 */
export function mermaidGraph(plan: Pick<Plan, "changes">, mode: RenderMode): string | undefined {
  const changed = plan.changes.filter((c) => c.action !== "noop");
  if (changed.length === 0 || changed.length > MERMAID_MAX_NODES) return undefined;
  const ids = new Map<string, string>();
  const nodes: string[] = [];
  const node = (addr: string, label: string, cls?: string): string => {
    let id = ids.get(addr);
    if (!id) {
      id = `n${ids.size}`;
      ids.set(addr, id);
      nodes.push(`  ${id}["${escapeLabel(label)}"]${cls ? `:::${cls}` : ""}`);
    }
    return id;
  };
  for (const change of changed) {
    const symbol = headline(change, mode).symbol;
    node(change.address, `${symbol} ${change.address}`, CLASS[symbol]);
  }
  const edges = new Set<string>();
  for (const change of changed) {
    for (const reference of change.references) {
      const target = referenceAddress(reference);
      if (!target || target === change.address) continue;
      edges.add(`  ${node(change.address, change.address)} -->|uses| ${node(target, target)}`);
    }
  }
  return [
    "graph LR",
    ...nodes,
    ...[...edges],
    "  classDef create fill:#e6ffec,stroke:#1a7f37",
    "  classDef update fill:#fff8c5,stroke:#9a6700",
    "  classDef delete fill:#ffebe9,stroke:#cf222e",
    "  classDef replace fill:#ffebe9,stroke:#cf222e,stroke-dasharray: 4",
    "  classDef restore fill:#ddf4ff,stroke:#0969da",
  ].join("\n");
}

function referenceAddress(reference: string): Address | undefined {
  const parsed = parseReference(reference);
  const kind = parsed ? kindOfPrefix(parsed.prefix) : undefined;
  return parsed && kind ? (`${kind}/${parsed.name}` as Address) : undefined;
}

function escapeLabel(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}
