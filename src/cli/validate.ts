import { existsSync } from "node:fs";
import { relative } from "node:path";
import { Command } from "commander";
import { DEFAULT_CONFIG_DIR } from "../config/index.js";
import { validatePaths } from "../engine/validate.js";
import type { EnvironmentView } from "../documents/environment-view.js";
import { EXIT, ExitRequest, formatDiagnostic } from "./errors.js";
import { out, progress } from "./output.js";
import { globalOptions, readConfig } from "./workspace.js";

/**
 * `validate [PATH…]`: schema and rules, offline (docs/design.md §4), for every environment's view of the documents. Without paths, the configured folder
 * (or `tenant-config` when there is no configuration file). Exit 0 when valid, 1 on any error.
 */
export function command(): Command {
  return new Command("validate")
    .description("check documents against their schemas and references, offline (exit 1 on any error)")
    .argument("[paths...]", "document files or configuration folders (default: the configured folder)")
    .action(async (paths: string[], _options: unknown, cmd: Command) => {
      const targets = paths.length > 0 ? paths : [defaultFolder(cmd)];
      const globals = globalOptions(cmd);
      const config = existsSync(globals.config) ? readConfig(globals) : undefined;
      const graphVersions = config?.graphVersion ?? {};
      // Every environment's view of the documents (its vars, its documents), or as written without a configuration.
      const environments: EnvironmentView[] = !config
        ? [{ vars: {}, known: [] }]
        : config.environmentNames.length === 0
          ? [{ vars: config.vars, known: [] }]
          : config.environmentNames.map((name) => ({ name, vars: config.varsByEnvironment[name] ?? {}, known: config.environmentNames }));
      const { documents, diagnostics } = await validatePaths(targets, { graphVersions, environments });
      for (const d of diagnostics) {
        progress(formatDiagnostic(d.file ? { ...d, file: relative(process.cwd(), d.file) || d.file } : d));
      }
      const errors = diagnostics.filter((d) => d.severity === "error").length;
      const warnings = diagnostics.length - errors;
      out(`${documents.length} document(s) checked: ${errors} error(s), ${warnings} warning(s)`);
      if (errors > 0) throw new ExitRequest(EXIT.error);
    });
}

function defaultFolder(cmd: Command): string {
  const globals = globalOptions(cmd);
  if (!existsSync(globals.config)) return DEFAULT_CONFIG_DIR;
  return readConfig(globals).configDirPath;
}
