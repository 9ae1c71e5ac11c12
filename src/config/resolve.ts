import { resolve } from "node:path";
import { KIND_NAMES, type Kind } from "../kinds/kind-names.js";
import {
  DEFAULT_CONFIG_DIR,
  DEFAULT_DRIFT_POLICY,
  DEFAULT_GIT_IDENTITY,
  DEFAULT_KINDS,
  DEFAULT_MAX_DELETES,
} from "./defaults.js";
import { ConfigError } from "./errors.js";
import type { BreakGlass, ConfigFile, DriftPolicy, ResolvedConfig, ResolvedEnvironment } from "./types.js";

export interface ResolveOptions {
  /** Absolute path of the file the configuration came from. */
  file?: string;
  /** Directory relative paths resolve against (default: the current directory). */
  rootDir?: string;
  /** Environment to select (`--env`). */
  env?: string;
}

/** Applies defaults to a validated configuration and merges the chosen environment. */
export function resolveConfig(config: ConfigFile, options: ResolveOptions = {}): ResolvedConfig {
  const rootDir = options.rootDir ?? process.cwd();
  const configDir = config.configDir ?? DEFAULT_CONFIG_DIR;
  const environments = config.environments ?? {};
  const environmentNames = Object.keys(environments);
  const chosen = chooseEnvironment(environmentNames, options.env, config.defaultEnvironment, options.file);
  const envConfig = chosen === undefined ? undefined : environments[chosen];

  let environment: ResolvedEnvironment | undefined;
  if (chosen !== undefined && envConfig) {
    const { breakGlass: _override, ...connection } = envConfig;
    environment = { name: chosen, ...connection };
  }
  const breakGlass: BreakGlass = {
    accounts: envConfig?.breakGlass?.accounts ?? config.breakGlass?.accounts ?? [],
    groups: envConfig?.breakGlass?.groups ?? config.breakGlass?.groups ?? [],
  };
  const selected = new Set<Kind>(config.kinds ?? DEFAULT_KINDS);
  const defaultDrift: DriftPolicy = config.drift?.default ?? DEFAULT_DRIFT_POLICY;
  const drift = Object.fromEntries(KIND_NAMES.map((k) => [k, config.drift?.[k] ?? defaultDrift])) as Record<
    Kind,
    DriftPolicy
  >;
  return {
    file: options.file,
    rootDir,
    configDir,
    configDirPath: resolve(rootDir, configDir),
    environment,
    environmentNames,
    kinds: KIND_NAMES.filter((k) => selected.has(k)),
    breakGlass,
    prune: config.prune ?? false,
    maxDeletes: config.maxDeletes ?? DEFAULT_MAX_DELETES,
    protected: config.protected ?? [],
    ignoreDifferences: config.ignoreDifferences ?? {},
    reportOnlyNewPolicies: config.reportOnlyNewPolicies ?? false,
    graphVersion: { ...(config.graphVersion ?? {}) },
    drift,
    git: {
      name: config.git?.name ?? DEFAULT_GIT_IDENTITY.name,
      email: config.git?.email ?? DEFAULT_GIT_IDENTITY.email,
    },
  };
}

function chooseEnvironment(
  names: readonly string[],
  requested: string | undefined,
  fallback: string | undefined,
  file: string | undefined,
): string | undefined {
  if (requested !== undefined) {
    if (names.includes(requested)) return requested;
    const known = names.length > 0 ? names.join(", ") : "none defined";
    throw new ConfigError(`environment "${requested}" is not defined in ${file ?? "the configuration"} (environments: ${known})`);
  }
  if (fallback !== undefined) return fallback;
  return names.length === 1 ? names[0] : undefined;
}
