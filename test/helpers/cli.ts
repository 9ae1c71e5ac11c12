/**
 * Runs the real CLI in-process (`main(argv)`, the same entry the binary uses) against a sandbox
 * and a real git repository in a temp folder, capturing what it prints.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/index.js";
import type { Sandbox } from "../../src/sandbox/index.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** One run of `entra-gitops ARGS` with stdout/stderr captured and the environment overridden. */
export async function runCli(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const saved = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(env)) {
    saved.set(key, process.env[key]);
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  let stdout = "";
  let stderr = "";
  const outWrite = process.stdout.write.bind(process.stdout);
  const errWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    stdout += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array): boolean => {
    stderr += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = outWrite;
    process.stderr.write = errWrite;
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** The sandbox's connection variables (what `sandbox --env-file` writes), for `runCli`'s env. */
export function sandboxEnv(sandbox: Sandbox): Record<string, string> {
  const { NODE_EXTRA_CA_CERTS: _ca, ...env } = sandbox.env as unknown as Record<string, string>;
  // The sandbox runs without its throttling model here, so the 1 request/s Conditional Access pacing can go.
  return { ...env, CI: "true", ENTRA_GITOPS_CA_INTERVAL_MS: "0" };
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
}

/** A clone of the repository at `from` into `to`, with the same local identity as `tempRepo`'s. */
export function cloneRepo(from: string, to: string): void {
  execFileSync("git", ["clone", "-q", from, to]);
  git(to, "config", "user.name", "Test Runner");
  git(to, "config", "user.email", "runner@example.test");
}

/** A temp folder holding a git repository with a local identity and an `entra-gitops.yaml`. */
export function tempRepo(config = defaultTestConfig()): { dir: string; configFile: string } {
  const dir = mkdtempSync(join(tmpdir(), "entra-gitops-e2e-"));
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "user.name", "Test Runner");
  git(dir, "config", "user.email", "runner@example.test");
  git(dir, "config", "commit.gpgsign", "false");
  const configFile = join(dir, "entra-gitops.yaml");
  writeFileSync(configFile, config);
  return { dir, configFile };
}

export function defaultTestConfig(extra = ""): string {
  return [
    "configDir: tenant-config",
    "breakGlass:",
    "  accounts: []",
    "  groups: []",
    extra,
  ].join("\n");
}

/** Every document file of a configuration folder, `kind/file` → text, in sorted order. */
/** Every file's text under a folder (the repository minus .git). */
export function allText(dir: string): string {
  let out = "";
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === ".git") continue;
    const path = join(dir, entry.name);
    out += entry.isDirectory() ? allText(path) : readFileSync(path, "utf8");
  }
  return out;
}

export function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(root)) return files;
  for (const kind of readdirSync(root).sort()) {
    for (const file of readdirSync(join(root, kind)).sort()) files.set(`${kind}/${file}`, readFileSync(join(root, kind, file), "utf8"));
  }
  return files;
}
