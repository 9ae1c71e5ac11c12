import type { Command } from "commander";

/** A command of the CLI: its name, and its file in src/cli/ (exporting `command(): Command`), loaded on use. */
export interface CommandEntry {
  name: string;
  load: () => Promise<() => Command>;
}

/**
 * The command list, in help order. Each entry is a file in src/cli/ exporting `command(): Command`;
 * a command returns normally for exit 0, throws `ExitRequest` for another code after printing, or
 * throws. Files are imported only when their command runs (or for the full help): a scheduled
 * `sync` does not load the sandbox, apply or import code (README "Incremental sync").
 */
export const commands: readonly CommandEntry[] = [
  { name: "init", load: async () => (await import("./init.js")).command },
  { name: "export", load: async () => (await import("./export.js")).command },
  { name: "validate", load: async () => (await import("./validate.js")).command },
  { name: "plan", load: async () => (await import("./plan.js")).command },
  { name: "apply", load: async () => (await import("./apply.js")).command },
  { name: "drift", load: async () => (await import("./drift.js")).command },
  { name: "sync", load: async () => (await import("./sync.js")).command },
  { name: "history", load: async () => (await import("./history.js")).command },
  { name: "rollback", load: async () => (await import("./rollback.js")).command },
  { name: "restore", load: async () => (await import("./restore.js")).command },
  { name: "whatif", load: async () => (await import("./whatif.js")).command },
  { name: "import", load: async () => (await import("./import.js")).command },
  { name: "permissions", load: async () => (await import("./permissions.js")).command },
  { name: "matrix", load: async () => (await import("./matrix.js")).command },
  { name: "sandbox", load: async () => (await import("./sandbox.js")).command },
];

/** Global options that take a value (`--config FILE`, `--env NAME`): their value is not the command. */
const VALUED = new Set(["--config", "--env"]);

/**
 * The command an argument list runs, when it names one of ours: the first argument that is neither
 * a global option nor its value. Undefined for help, `--version`, an unknown command or none.
 */
export function commandNamed(argv: readonly string[]): CommandEntry | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (VALUED.has(arg)) {
      i++;
      continue;
    }
    if (arg === "--") return undefined;
    if (arg.startsWith("-")) {
      if (arg.startsWith("--config=") || arg.startsWith("--env=")) continue;
      return undefined;
    }
    return commands.find((c) => c.name === arg);
  }
  return undefined;
}
