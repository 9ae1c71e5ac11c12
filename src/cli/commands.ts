import type { Command } from "commander";
import { command as apply } from "./apply.js";
import { command as drift } from "./drift.js";
import { command as exportCommand } from "./export.js";
import { command as history } from "./history.js";
import { command as importCommand } from "./import.js";
import { command as init } from "./init.js";
import { command as matrix } from "./matrix.js";
import { command as permissions } from "./permissions.js";
import { command as plan } from "./plan.js";
import { command as restore } from "./restore.js";
import { command as rollback } from "./rollback.js";
import { command as sandbox } from "./sandbox.js";
import { command as sync } from "./sync.js";
import { command as validate } from "./validate.js";
import { command as whatif } from "./whatif.js";

/**
 * The command list. Each entry is a file in src/cli/ exporting `command(): Command`; a command
 * returns normally for exit 0, throws `ExitRequest` for another code after printing, or throws.
 */
export const commands: Array<() => Command> = [
  init,
  exportCommand,
  validate,
  plan,
  apply,
  drift,
  sync,
  history,
  rollback,
  restore,
  whatif,
  importCommand,
  permissions,
  matrix,
  sandbox,
];
