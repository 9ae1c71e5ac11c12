import type { GraphVersion } from "../graph/types.js";
import type { Kind } from "../model/kind.js";

/** What `sync` does with drift found in the tenant (docs/design.md §1 step 4). */
export type DriftPolicy = "commit" | "pr" | "revert";
export const DRIFT_POLICIES: readonly DriftPolicy[] = ["commit", "pr", "revert"];

/** Emergency-access identities the lockout guard requires blocking policies to exclude. */
export interface BreakGlass {
  /** `user:<userPrincipalName>` references. */
  accounts: string[];
  /** `group:<name>` references. */
  groups: string[];
}

/** One tenant the configuration applies to, as written in `environments:`. */
export interface EnvironmentConfig {
  tenantId?: string;
  clientId?: string;
  graphUrl?: string;
  authorityHost?: string;
  /** Replaces the top-level `breakGlass` for this environment. */
  breakGlass?: Partial<BreakGlass>;
  /** `${name}` values for this environment, laid over the top-level `vars`. */
  vars?: Record<string, string> | null;
}

/**
 * `entra-gitops.yaml` as written (after schema validation), before defaults. A key left empty in
 * YAML is `null`, which means the same as leaving it out.
 */
export interface ConfigFile {
  configDir?: string;
  environments?: Record<string, EnvironmentConfig> | null;
  defaultEnvironment?: string;
  /** `${name}` values shared by every environment (defaults). */
  vars?: Record<string, string> | null;
  kinds?: Kind[] | null;
  breakGlass?: Partial<BreakGlass> | null;
  prune?: boolean;
  maxDeletes?: number;
  protected?: string[] | null;
  ignoreDifferences?: Partial<Record<Kind | "*", string[]>> | null;
  reportOnlyNewPolicies?: boolean;
  /** Graph API version per kind (`v1.0` unless named; only kinds with beta-only properties accept `beta`). */
  graphVersion?: Partial<Record<Kind, GraphVersion>> | null;
  drift?: Partial<Record<Kind | "default", DriftPolicy>> | null;
  /**
   * `sync.auditGrace`: minutes a change with no audit entry yet is held back; `sync.engineIdentities`:
   * app ids, user object ids or UPNs the engine also writes as (README "Sync state");
   * `sync.incremental`: read only what changed since the last sync (README "Incremental sync").
   */
  sync?: { auditGrace?: number; engineIdentities?: string[] | null; incremental?: boolean } | null;
  git?: { name?: string; email?: string } | null;
}

/** The environment chosen by `--env`, `defaultEnvironment`, or the only one defined. */
export interface ResolvedEnvironment extends Omit<EnvironmentConfig, "breakGlass" | "vars"> {
  name: string;
}

/** The configuration with defaults applied and the chosen environment merged in. */
export interface ResolvedConfig {
  /** Absolute path of the configuration file (or undefined for built-in defaults). */
  file?: string;
  /** Directory the configuration file is in; relative paths are resolved against it. */
  rootDir: string;
  /** `configDir` as written (default `tenant-config`). */
  configDir: string;
  /** `configDir` resolved against `rootDir`. */
  configDirPath: string;
  environment?: ResolvedEnvironment;
  /** Names of every environment defined in the file. */
  environmentNames: string[];
  /** `${name}` values of the chosen environment (top-level `vars` with the environment's laid over). */
  vars: Record<string, string>;
  /** The same for every environment defined (what `validate` renders the documents with). */
  varsByEnvironment: Record<string, Record<string, string>>;
  /** Kinds in scope, in the registry order of KIND_NAMES. */
  kinds: Kind[];
  /** Top-level break-glass, replaced field by field by the environment's override. */
  breakGlass: BreakGlass;
  prune: boolean;
  maxDeletes: number;
  protected: string[];
  ignoreDifferences: Partial<Record<Kind | "*", string[]>>;
  reportOnlyNewPolicies: boolean;
  /** Graph API version of the kinds switched from their default (v1.0); the rest are not listed. */
  graphVersion: Partial<Record<Kind, GraphVersion>>;
  /** Drift policy for every kind (the `default` entry fills kinds not named). */
  drift: Record<Kind, DriftPolicy>;
  /** Minutes a change with no audit entry yet is held back by sync (default 15). */
  /** `incremental`: `sync.incremental` (README "Incremental sync"). */
  sync: { auditGraceMinutes: number; engineIdentities: string[]; incremental: boolean };
  git: { name: string; email: string };
}
