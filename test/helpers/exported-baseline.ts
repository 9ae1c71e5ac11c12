/**
 * The set-up most end-to-end tests start from: a git repository in a temp folder with an
 * `entra-gitops.yaml`, the sandbox exported into it by the real CLI and committed. `cli` runs
 * `entra-gitops --config FILE ARGS` against the same sandbox.
 */
import { expect } from "vitest";
import type { CliRun } from "./cli.js";
import { git, runCli, tempRepo } from "./cli.js";

export interface ExportedBaseline {
  readonly dir: string;
  readonly configFile: string;
  /** The CLI's environment for the sandbox. */
  readonly env: Record<string, string>;
  /** The commit holding the export. */
  readonly base: string;
  /** `entra-gitops --config FILE ARGS`. */
  cli(...args: string[]): Promise<CliRun>;
  /** The same with variables laid over `env` (another identity, a setting). */
  cliWith(overrides: Record<string, string | undefined>, ...args: string[]): Promise<CliRun>;
}

export interface BaselineOptions {
  /** The `entra-gitops.yaml` (default: `defaultTestConfig()`). */
  readonly config?: string;
  /** The export's commit message (default `Baseline`). */
  readonly message?: string;
  /** Where to note the folder for removal after the tests (a `sandboxBlock`'s `dirs`). */
  readonly dirs?: string[];
}

/** A temp repository, `export` (which must succeed) and its commit. */
export async function exportBaseline(env: Record<string, string>, options: BaselineOptions = {}): Promise<ExportedBaseline> {
  const { dir, configFile } = options.config === undefined ? tempRepo() : tempRepo(options.config);
  options.dirs?.push(dir);
  const cliWith = (overrides: Record<string, string | undefined>, ...args: string[]): Promise<CliRun> => runCli(["--config", configFile, ...args], { ...env, ...overrides });
  const cli = (...args: string[]): Promise<CliRun> => runCli(["--config", configFile, ...args], env);
  const exported = await cli("export");
  expect(exported.code, exported.stderr + exported.stdout).toBe(0);
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", options.message ?? "Baseline");
  return { dir, configFile, env, base: git(dir, "rev-parse", "HEAD"), cli, cliWith };
}
