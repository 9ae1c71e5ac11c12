import type { ResolvedConfig } from "../config/index.js";
import { suggestionLines, writeSuggestion } from "../config/break-glass-suggestion.js";
import { breakGlassYaml, proposeBreakGlass } from "../conditional-access/break-glass.js";
import { buildWorld } from "../conditional-access/world.js";
import type { Snapshot } from "../engine/snapshot/snapshot.js";

/**
 * No `breakGlass` configured: the identities every enabled blocking policy excludes (what the
 * lockout guard protects in that case, conditional-access/break-glass.ts) go into entra-gitops.yaml
 * as a commented suggestion; the returned line says what to add. Needs Conditional Access and groups
 * read completely. Once breakGlass is configured, a block left from an earlier run is removed.
 * Used by `export` and `init --from-tenant`; undefined when there is nothing to say.
 */
export async function proposeBreakGlassInConfig(config: ResolvedConfig, snapshot: Snapshot): Promise<string | undefined> {
  if (!config.file) return undefined;
  if (config.breakGlass.accounts.length > 0 || config.breakGlass.groups.length > 0) {
    await writeSuggestion(config.file, { accounts: [], groups: [] });
    return undefined;
  }
  if (!snapshot.read.includes("conditionalAccessPolicy") || snapshot.failed.has("conditionalAccessPolicy") || snapshot.failed.has("group")) return undefined;
  const proposal = proposeBreakGlass(buildWorld(snapshot.documents));
  const changed = await writeSuggestion(config.file, proposal);
  if (suggestionLines(proposal).length === 0) return undefined;
  return `no breakGlass is configured; ${changed ? "proposed in" : "still proposed in"} ${config.file} (commented): add ${breakGlassYaml(proposal).line}`;
}
