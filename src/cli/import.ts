import { existsSync } from "node:fs";
import { relative } from "node:path";
import { Command } from "commander";
import { DEFAULT_CONFIG_DIR, schemaDirFor } from "../config/index.js";
import { importExports } from "../engine/import/import.js";
import { MapFileError, readMapFile } from "../engine/import/maps.js";
import { EXIT, ExitRequest, UserError, formatDiagnostic } from "./errors.js";
import { out, progress } from "./output.js";
import { globalOptions, readConfig } from "./workspace.js";

/**
 * `import --from DIR [--map FILE]`: other tools' Graph JSON exports → documents in the config
 * folder. Every file is imported or refused with its reason; exit 1 when any file was refused
 * (the valid documents are written all the same).
 */
export function command(): Command {
  return new Command("import")
    .description("convert Graph JSON exports (other tools' backups) into documents")
    .requiredOption("--from <dir>", "folder of Graph JSON exports (searched recursively for *.json)")
    .option("--map <file>", "YAML/JSON map: placeholder or display name → reference (group:<name>, user:<upn>), GUID or text")
    .option("--dry-run", "convert and validate, write nothing")
    .action(async (options: { from: string; map?: string; dryRun?: boolean }, cmd: Command) => {
      if (!existsSync(options.from)) throw new UserError(`--from ${options.from}: no such folder`);
      let map;
      try {
        map = options.map ? await readMapFile(options.map) : undefined;
      } catch (error) {
        if (error instanceof MapFileError) throw new UserError(error.message);
        throw error;
      }
      const globals = globalOptions(cmd);
      const config = existsSync(globals.config) ? readConfig(globals) : undefined;
      const to = config?.configDirPath ?? DEFAULT_CONFIG_DIR;
      const graphVersions = config?.graphVersion ?? {};
      const schemaDir = config ? schemaDirFor(config.rootDir, config.configDirPath) : undefined;
      const report = await importExports({ from: options.from, to, graphVersions, ...(schemaDir ? { schemaDir } : {}), ...(map ? { map } : {}), ...(options.dryRun ? { dryRun: true } : {}) });
      for (const table of report.tables) out(`used ${table} as an id → display name table`);
      for (const doc of report.imported) {
        out(`${doc.outcome === "planned" ? "would create" : doc.outcome} ${relative(process.cwd(), doc.path) || doc.path} ← ${doc.source}`);
        for (const note of doc.notes ?? []) out(`  note: ${note}`);
      }
      for (const refused of report.refused) {
        progress(`refused ${refused.source}:`);
        if (refused.diagnostics) for (const d of refused.diagnostics) progress(`  ${formatDiagnostic({ ...d, file: d.file ? relative(process.cwd(), d.file) : undefined })}`);
        else for (const reason of refused.reasons) progress(`  ${reason}`);
      }
      if (report.unusedMapEntries > 0) progress(`warning: ${report.unusedMapEntries} --map entr${report.unusedMapEntries === 1 ? "y was" : "ies were"} never used`);
      out(`${report.imported.length} document(s) imported, ${report.refused.length} refused`);
      if (report.refused.length > 0) throw new ExitRequest(EXIT.error);
    });
}
