import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { Diagnostic } from "../model/document.js";
import { allowedHostsFrom, endpointRefusal } from "../graph/allowed-hosts.js";
import { ConfigError } from "./errors.js";
import { configDirOnDiskProblem, configDirProblem } from "./paths.js";
import { resolveConfig } from "./resolve.js";
import { configValidator, describeSchemaError } from "./schema.js";
import type { ConfigFile, ResolvedConfig } from "./types.js";
import { pointerSegments, positionOf } from "./yaml-positions.js";

/**
 * Reads `entra-gitops.yaml`, validates it against `schemas/entra-gitops.schema.json`, applies the
 * defaults and merges the chosen environment (`env`, else `defaultEnvironment`, else the only one).
 * Throws `ConfigError` with every problem as a diagnostic at `file:line:column`.
 */
export function loadConfig(file: string, env?: string): ResolvedConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "not found (run `entra-gitops init` to create one)" : `cannot be read (${code ?? "error"})`;
    throw new ConfigError(`configuration file ${file} ${why}`, [{ severity: "error", file, message: why }]);
  }
  const parsed = parseConfigText(text, file);
  const config = resolveConfig(parsed, { file: path, rootDir: dirname(path), env });
  const onDisk = configDirOnDiskProblem(config.rootDir, config.configDirPath);
  if (onDisk) throw new ConfigError(`${file}: configDir is not allowed`, [{ severity: "error", file, path: "configDir", message: onDisk }]);
  return config;
}

/**
 * Parses and validates configuration text; `file` is only used in diagnostics. `allowHosts` (default:
 * ENTRA_GITOPS_ALLOW_HOSTS) are the hosts besides Microsoft's clouds and loopback that
 * `graphUrl`/`authorityHost` may name.
 */
export function parseConfigText(text: string, file: string, allowHosts: ReadonlySet<string> = allowedHostsFrom(process.env)): ConfigFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const diagnostics: Diagnostic[] = doc.errors.map((e) => ({
    severity: "error",
    file,
    line: e.linePos?.[0].line,
    column: e.linePos?.[0].col,
    message: e.message.split("\n")[0] ?? e.message,
  }));
  if (diagnostics.length > 0) throw new ConfigError(`${file} is not valid YAML`, diagnostics);

  const data: unknown = doc.toJS() ?? {};
  const validate = configValidator();
  if (!validate(data)) {
    for (const error of validate.errors ?? []) {
      const segments = pointerSegments(error.instancePath);
      const params = error.params as Record<string, unknown>;
      const key = error.keyword === "additionalProperties" ? String(params.additionalProperty) : undefined;
      const pos = positionOf(doc, lines, segments, key);
      const pathSegments = key === undefined ? segments : [...segments, key];
      diagnostics.push({
        severity: "error",
        file,
        line: pos?.line,
        column: pos?.column,
        path: pathSegments.length > 0 ? fieldPath(pathSegments) : undefined,
        message: describeSchemaError(error),
      });
    }
    throw new ConfigError(`${file} does not match the configuration schema`, dedupe(diagnostics));
  }
  diagnostics.push(...safetyDiagnostics(data, file, allowHosts, (segments) => positionOf(doc, lines, segments)));
  if (diagnostics.length > 0) throw new ConfigError(`${file} is not safe to use`, diagnostics);
  const defaultEnv = data.defaultEnvironment;
  if (defaultEnv !== undefined && !Object.hasOwn(data.environments ?? {}, defaultEnv)) {
    const pos = positionOf(doc, lines, ["defaultEnvironment"]);
    const known = Object.keys(data.environments ?? {});
    throw new ConfigError(`${file}: defaultEnvironment names no environment`, [
      {
        severity: "error",
        file,
        line: pos?.line,
        column: pos?.column,
        path: "defaultEnvironment",
        message: `"${defaultEnv}" is not in environments (${known.length > 0 ? known.join(", ") : "none defined"})`,
      },
    ]);
  }
  return data;
}

/** `configDir` confined to the repository; `graphUrl`/`authorityHost` on Microsoft's clouds, loopback or allowed hosts. */
function safetyDiagnostics(
  data: ConfigFile,
  file: string,
  allowHosts: ReadonlySet<string>,
  at: (segments: string[]) => { line: number; column: number } | undefined,
): Diagnostic[] {
  const found: Diagnostic[] = [];
  const add = (segments: string[], message: string): void => {
    const pos = at(segments);
    found.push({ severity: "error", file, line: pos?.line, column: pos?.column, path: fieldPath(segments), message });
  };
  if (data.configDir !== undefined) {
    const problem = configDirProblem(data.configDir);
    if (problem) add(["configDir"], problem);
  }
  for (const [name, environment] of Object.entries(data.environments ?? {})) {
    for (const key of ["graphUrl", "authorityHost"] as const) {
      const value = environment?.[key];
      if (typeof value !== "string") continue;
      const refusal = endpointRefusal(value, key, key, allowHosts);
      if (refusal) add(["environments", name, key], refusal.replace(/^[^:]+: /, ""));
    }
  }
  return found;
}

/** `["environments","prod","tenantId"]` → `environments.prod.tenantId`; indexes as `[0]`. */
function fieldPath(segments: readonly string[]): string {
  return segments.reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), "");
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const k = `${d.line}:${d.column}:${d.path}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
