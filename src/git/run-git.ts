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

/**
 * Runs a git command whose output is read line by line as it comes, until `onLine` says it has
 * seen enough (true): git is then stopped, so a walk of a long history ends where the answer was
 * found instead of at the root. Rejects like `runGit` when git fails before that.
 */
export function gitLinesUntil(cwd: string, args: readonly string[], onLine: (line: string) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...args], { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" }, stdio: ["ignore", "pipe", "pipe"] });
    let rest = "";
    let done = false;
    const err: Buffer[] = [];
    const decoder = new TextDecoder("utf8");
    child.stdout.on("data", (chunk: Buffer) => {
      if (done) return;
      const lines = (rest + decoder.decode(chunk, { stream: true })).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) {
        if (onLine(line)) {
          done = true;
          child.kill();
          return;
        }
      }
    });
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => reject(new GitError(`cannot run git: ${error.message}`, { args })));
    child.on("close", (code) => {
      if (done) return resolve();
      if (code !== 0) {
        const stderr = Buffer.concat(err).toString("utf8");
        reject(new GitError(`git ${args[0] ?? ""} failed (exit ${code ?? -1}): ${stderr.trim() || "no message"}`, { args, exitCode: code ?? -1, stderr }));
        return;
      }
      const last = rest + decoder.decode();
      if (last !== "") onLine(last);
      resolve();
    });
  });
}
