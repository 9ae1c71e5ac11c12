#!/usr/bin/env -S node --
/**
 * The CLI entry: builds the command tree and is the only place that turns errors into exit codes.
 * Each command lives in its own file and exports `command(): Command`.
 *
 * The shebang passes `--` so that Node 20 does not take `sandbox --env-file FILE` as its own
 * `--env-file` option (Node 20 reads that option even after the script name).
 */
import { StateFileError } from "../state/id-map.js";
import { ExportRefusedError } from "../engine/export.js";
import { MissingReferencesError } from "../engine/snapshot/reference-check.js";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { EXIT, ExitRequest, UserError, formatDiagnostic } from "./errors.js";
import { commandNamed, commands } from "./commands.js";
import { versionLine } from "./build-info.js";
import { endObjectReaders } from "../git/object-reader.js";

/**
 * The program with the command `argv` runs, or with every command (help, `--version`, an unknown
 * command): only the files of the commands it holds are loaded.
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const named = commandNamed(argv);
  const makers = await Promise.all((named ? [named] : commands).map((entry) => entry.load()));
  const program = new Command("entra-gitops")
    .description("GitOps configuration as code for Microsoft Entra ID")
    .option("--config <file>", "configuration file", "entra-gitops.yaml")
    .option("--env <name>", "environment from the configuration")
    .version(versionLine(), "-V, --version", "print the version and the commit it was built from")
    .showHelpAfterError()
    .exitOverride();
  for (const make of makers) program.addCommand(make().exitOverride());
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync([...argv], { from: "user" });
    return EXIT.ok;
  } catch (error) {
    return exitCodeFor(error);
  } finally {
    await endObjectReaders();
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof ExitRequest) return error.exitCode;
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT.ok : EXIT.error;
  }
  if (error instanceof UserError || error instanceof StateFileError || error instanceof ExportRefusedError || error instanceof MissingReferencesError) {
    for (const d of error.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    process.stderr.write(`error: ${error.message}\n`);
    return error instanceof UserError ? error.exitCode : EXIT.error;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  if (process.env.ENTRA_GITOPS_DEBUG && error instanceof Error && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  }
  return EXIT.error;
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
