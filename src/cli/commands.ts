import type { Command } from "commander";

/**
 * The command list. Each entry is a file in src/cli/ exporting `command(): Command`; a command
 * returns normally for exit 0, throws `ExitRequest` for another code after printing, or throws.
 */
export const commands: Array<() => Command> = [];
