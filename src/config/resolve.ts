import { resolve } from "node:path";
import { kindNames, type Kind } from "../model/kind.js";
import {
  DEFAULT_AUDIT_GRACE_MINUTES,
  DEFAULT_CONFIG_DIR,
  DEFAULT_DRIFT_POLICY,
  DEFAULT_GIT_IDENTITY,
  defaultKinds,
  DEFAULT_MAX_DELETES,
} from "./defaults.js";
import { ConfigError } from "./errors.js";
import { mergeVars, substitute } from "./variables.js";
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
    const { breakGlass: _override, vars: _vars, ...connection } = envConfig;
    environment = { name: chosen, ...connection };
  }
  const varsByEnvironment = Object.fromEntries(environmentNames.map((name) => [name, mergeVars(config.vars, environments[name]?.vars)]));
  const vars = chosen === undefined ? mergeVars(config.vars, undefined) : (varsByEnvironment[chosen] ?? mergeVars(config.vars, undefined));
  const render = (values: readonly string[], field: string): string[] => values.map((value, i) => renderSetting(value, vars, `${field}[${i}]`, chosen, options.file));
  const breakGlass: BreakGlass = {
    accounts: render(envConfig?.breakGlass?.accounts ?? config.breakGlass?.accounts ?? [], "breakGlass.accounts"),
    groups: render(envConfig?.breakGlass?.groups ?? config.breakGlass?.groups ?? [], "breakGlass.groups"),
  };
  const selected = new Set<Kind>(config.kinds ?? defaultKinds());
  const defaultDrift: DriftPolicy = config.drift?.default ?? DEFAULT_DRIFT_POLICY;
  const drift = Object.fromEntries(kindNames().map((k) => [k, config.drift?.[k] ?? defaultDrift])) as Record<
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
    vars,
    varsByEnvironment,
    kinds: kindNames().filter((k) => selected.has(k)),
    breakGlass,
    prune: config.prune ?? false,
    maxDeletes: config.maxDeletes ?? DEFAULT_MAX_DELETES,
    protected: config.protected ?? [],
    ignoreDifferences: config.ignoreDifferences ?? {},
    reportOnlyNewPolicies: config.reportOnlyNewPolicies ?? false,
    graphVersion: { ...(config.graphVersion ?? {}) },
    drift,
    sync: { auditGraceMinutes: config.sync?.auditGrace ?? DEFAULT_AUDIT_GRACE_MINUTES, engineIdentities: config.sync?.engineIdentities ?? [], incremental: config.sync?.incremental ?? true },
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

/** A configuration value with `${name}` substituted from the chosen environment's vars. */
function renderSetting(value: string, vars: Record<string, string>, field: string, environment: string | undefined, file: string | undefined): string {
  const result = substitute(value, vars);
  if (result.ok) return result.value;
  // With no environment chosen there is no tenant to protect yet: the value stays as written.
  if (environment === undefined) return value;
  throw new ConfigError(`${file ?? "the configuration"}: ${field}: ${result.problems.join("; ")} for environment "${environment}" (define it under vars: or environments.${environment}.vars:)`);
}
