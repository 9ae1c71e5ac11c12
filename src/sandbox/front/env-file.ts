/**
 * The connection variables as `KEY=value` lines, so `set -a; . FILE; set +a` connects a shell or
 * a CI job. The file holds a client secret: it is written with mode 600 and never printed.
 */
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { SandboxEnv } from "./sandbox-types.js";

const SAFE = /^[A-Za-z0-9_./:@%+=,-]*$/;

function shellValue(value: string): string {
  return SAFE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function formatEnvFile(env: SandboxEnv): string {
  const lines = [
    "# entra-gitops sandbox connection. Load with: set -a; . THIS_FILE; set +a",
    "# Contains a client secret: keep it out of git.",
    ...Object.entries(env).map(([key, value]) => `${key}=${shellValue(value)}`),
  ];
  return `${lines.join("\n")}\n`;
}

/**
 * Creates the env file's directory if it is missing (e.g. the default `.sandbox/`) with a
 * `.gitignore` of `*`, so the secret, keys and certificate written there never reach git.
 * An existing directory is left as it is.
 */
export function prepareEnvDirectory(envFile: string): void {
  const dir = dirname(envFile);
  if (existsSync(dir)) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, ".gitignore"), "# Written by entra-gitops sandbox: client secret, keys, certificate.\n*\n");
}

export function writeEnvFile(path: string, env: SandboxEnv): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, formatEnvFile(env), { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/** Atomically writes JSON state (mode 600: seeded secrets may be in it). */
export function writeJsonFile(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}
