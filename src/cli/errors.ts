import type { Diagnostic } from "../model/document.js";

/** Exit codes of the CLI contract (docs/design.md §4). */
export const EXIT = {
  ok: 0,
  error: 1,
  /** `plan --detailed-exitcode` with changes, `drift` with drift. */
  changes: 2,
} as const;

/** A failure the user can act on: printed as is, without a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
    this.name = "UserError";
  }
}

/** Thrown by a command to end with a specific exit code after it has printed its output. */
export class ExitRequest extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = "ExitRequest";
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.line, d.column].filter((p) => p !== undefined).join(":");
  const path = d.path ? ` ${d.path}:` : "";
  return `${where ? `${where}: ` : ""}${d.severity}:${path} ${d.message}`;
}
