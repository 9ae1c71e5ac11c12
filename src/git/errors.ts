/** Failures of the git layer. The CLI maps them to exit code 1 with their message. */
export class GitError extends Error {
  constructor(
    message: string,
    readonly details: { args?: readonly string[]; exitCode?: number; stderr?: string } = {},
  ) {
    super(message);
    this.name = "GitError";
  }
}

/** The configuration folder has uncommitted changes; `files` lists them (repository-relative). */
export class DirtyWorkTreeError extends GitError {
  constructor(readonly files: readonly DirtyFile[]) {
    const shown = files.slice(0, 20).map((f) => `  ${f.status} ${f.path}`);
    const more = files.length > 20 ? [`  … and ${files.length - 20} more`] : [];
    super(
      [
        `Uncommitted changes in the configuration folder (${files.length} file${files.length === 1 ? "" : "s"}):`,
        ...shown,
        ...more,
        "Commit or discard them first, or pass --allow-dirty to proceed anyway.",
      ].join("\n"),
    );
    this.name = "DirtyWorkTreeError";
  }
}

/** The branch moved between reading it and updating it (another process committed). */
export class ConcurrentUpdateError extends GitError {
  constructor(ref: string, expected: string, stderr: string) {
    super(`${ref} changed while committing (expected ${expected.slice(0, 12)}); nothing was committed. Run again.`, {
      stderr,
    });
    this.name = "ConcurrentUpdateError";
  }
}

/** One uncommitted file: `status` is git's two-letter porcelain code (e.g. ` M`, `??`, `D `). */
export interface DirtyFile {
  path: string;
  status: string;
}
