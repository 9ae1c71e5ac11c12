import type { ResolvedConfig } from "../config/index.js";
import { DEFAULT_GRAPH_URL } from "../graph/cloud.js";

/** The Graph endpoint in use: `ENTRA_GITOPS_GRAPH_URL`, else the environment's, else Microsoft Graph. */
export function graphUrlOf(config: ResolvedConfig, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.ENTRA_GITOPS_GRAPH_URL?.trim();
  return (fromEnv || config.environment?.graphUrl || DEFAULT_GRAPH_URL).replace(/\/+$/, "");
}
