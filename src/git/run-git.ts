import { spawn } from "node:child_process";
import { GitError } from "./errors.js";

export interface RunGitOptions {
  /** Bytes or text written to git's stdin. */
  input?: string | Buffer;
  /** Extra environment variables for this one command (merged over process.env). */
  env?: Record<string, string>;
  /** Exit codes that are not failures (default: only 0). */
  okExitCodes?: readonly number[];
}

export interface RunGitResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

/**
 * Runs one git command with stdin and per-command environment. simple-git covers the porcelain
 * commands; the plumbing the commit path needs (hash-object --stdin-paths, update-index
 * --index-info, cat-file --batch, commit-tree with a temporary index) needs stdin and binary-safe
 * output, so it goes through here. Never prints; errors carry git's stderr.
 */
export function runGit(cwd: string, args: readonly string[], options: RunGitOptions = {}): Promise<RunGitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...args], {
      cwd,
      env: { ...process.env, ...options.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => reject(new GitError(`cannot run git: ${error.message}`, { args })));
    child.on("close", (code) => {
      const exitCode = code ?? -1;
      const stderr = Buffer.concat(err).toString("utf8");
      const ok = options.okExitCodes ?? [0];
      if (!ok.includes(exitCode)) {
        reject(
          new GitError(`git ${args[0] ?? ""} failed (exit ${exitCode}): ${stderr.trim() || "no message"}`, {
            args,
            exitCode,
            stderr,
          }),
        );
        return;
      }
      resolve({ stdout: Buffer.concat(out), stderr, exitCode });
    });
    child.stdin.on("error", () => {
      /* git may exit before reading all input; the exit code reports the failure. */
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/** stdout as UTF-8 text without the trailing newline. */
export async function gitText(cwd: string, args: readonly string[], options: RunGitOptions = {}): Promise<string> {
  const result = await runGit(cwd, args, options);
  return result.stdout.toString("utf8").replace(/\n$/, "");
}
