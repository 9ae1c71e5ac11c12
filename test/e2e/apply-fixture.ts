/**
 * Shared steps of the apply end-to-end tests: a git repository holding an export of the sandbox,
 * edits of its YAML documents, and "apply, then plan must be empty".
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Client } from "@microsoft/microsoft-graph-client";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, expect } from "vitest";
import type { RequestLogEntry } from "../../src/sandbox/front/request-log.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { admin } from "../helpers/actors.js";
import { startSandbox } from "../helpers/sandbox.js";
import type { CliRun } from "../helpers/cli.js";
import { git, sandboxEnv } from "../helpers/cli.js";
import { exportBaseline } from "../helpers/exported-baseline.js";

export interface ExportedRepo {
  dir: string;
  configFile: string;
  env: Record<string, string>;
  /** `entra-gitops --config FILE ARGS`. */
  cli(...args: string[]): Promise<CliRun>;
}

export interface RepoOptions {
  /** `breakGlass.groups` entries, e.g. `group:sg-ca-breakglass-exclusion`. */
  breakGlassGroups?: readonly string[];
  /** `kinds:` (default: the default kinds, without users). */
  kinds?: readonly string[];
}

/** A temp repository with `prune: true` (and the options), the sandbox exported into it and committed. */
export async function exportedRepo(env: Record<string, string>, options: RepoOptions = {}): Promise<ExportedRepo> {
  const groups = options.breakGlassGroups ?? [];
  const config = [
    "configDir: tenant-config",
    "breakGlass:",
    "  accounts: []",
    ...(groups.length ? ["  groups:", ...groups.map((g) => `    - ${g}`)] : ["  groups: []"]),
    ...(options.kinds ? ["kinds:", ...options.kinds.map((k) => `  - ${k}`)] : []),
    "prune: true",
    "maxDeletes: 50",
    "",
  ].join("\n");
  const { dir, configFile, cli } = await exportBaseline(env, { config, message: "Initial export" });
  return { dir, configFile, env, cli };
}

function docPath(repo: ExportedRepo, kind: string, name: string): string {
  return join(repo.dir, "tenant-config", kind, `${name}.yaml`);
}

export type Doc = { kind: string; name: string; id?: string; spec: Record<string, unknown> };

export function readDoc(repo: ExportedRepo, kind: string, name: string): Doc {
  return parse(readFileSync(docPath(repo, kind, name), "utf8")) as Doc;
}

export function writeDoc(repo: ExportedRepo, doc: Doc): void {
  const file = docPath(repo, doc.kind, doc.name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, stringify(doc));
}

/** Edits a document's spec in place (the callback mutates it). */
export function editSpec(repo: ExportedRepo, kind: string, name: string, edit: (spec: Record<string, unknown>) => void): void {
  const doc = readDoc(repo, kind, name);
  edit(doc.spec);
  writeDoc(repo, doc);
}

export function removeDoc(repo: ExportedRepo, kind: string, name: string): void {
  const file = docPath(repo, kind, name);
  expect(existsSync(file), file).toBe(true);
  rmSync(file);
}

export function commit(repo: ExportedRepo, message: string): void {
  git(repo.dir, "add", "-A");
  git(repo.dir, "commit", "-q", "-m", message);
}

/**
 * `apply --auto-approve [extra]`, which must succeed, then `plan --detailed-exitcode`, which must
 * report no changes. Returns apply's output.
 */
export async function applyConverges(repo: ExportedRepo, ...extra: string[]): Promise<string> {
  const applied = await repo.cli("apply", "--auto-approve", ...extra);
  expect(applied.stdout, applied.stderr).not.toContain("FAILED");
  expect(applied.code, applied.stderr + applied.stdout).toBe(0);
  expect(applied.stdout).toMatch(/Apply complete: \d+ done, 0 failed, 0 skipped\./);
  expect(applied.stdout).not.toContain("did not take");
  const plan = await repo.cli("plan", "--detailed-exitcode");
  expect(plan.code, `plan after apply is not empty:\n${plan.stdout}${plan.stderr}`).toBe(0);
  return applied.stdout;
}

/** The operator app with a fresh token (one definition, in the shared actors). */
export { admin } from "../helpers/actors.js";

/** The demo sandbox, an exported and committed repository against it, and an operator client. */
export async function demoRepo(options: RepoOptions = {}): Promise<{ started: StartedSandbox; repo: ExportedRepo; client: Client }> {
  const started = await startSandbox({ seed: "demo" });
  const repo = await exportedRepo(sandboxEnv(started.sandbox), options);
  return { started, repo, client: admin(started) };
}

/**
 * `demoRepo` for one describe block: started before its tests, stopped after them. The fields are
 * read inside tests and hooks (they are set once the block's `beforeAll` ran).
 */
export function demoRepoBlock(options: RepoOptions = {}): { readonly started: StartedSandbox; readonly repo: ExportedRepo; readonly client: Client } {
  let made: Awaited<ReturnType<typeof demoRepo>> | undefined;
  beforeAll(async () => {
    made = await demoRepo(options);
  });
  afterAll(async () => made?.started.stop());
  const ready = (): Awaited<ReturnType<typeof demoRepo>> => {
    if (!made) throw new Error("the demo repository is not ready yet (use it inside a test or hook)");
    return made;
  };
  return {
    get started() {
      return ready().started;
    },
    get repo() {
      return ready().repo;
    },
    get client() {
      return ready().client;
    },
  };
}

/** The live object with this displayName in a collection (exactly one). */
export async function findByName(client: Client, path: string, displayName: string, version = "v1.0"): Promise<Record<string, unknown>> {
  const page = (await client.api(path).version(version).filter(`displayName eq '${displayName.replace(/'/g, "''")}'`).get()) as { value: Record<string, unknown>[] };
  expect(page.value, `${path} named ${displayName}`).toHaveLength(1);
  return page.value[0] as Record<string, unknown>;
}

export async function countByName(client: Client, path: string, displayName: string, version = "v1.0"): Promise<number> {
  const page = (await client.api(path).version(version).filter(`displayName eq '${displayName.replace(/'/g, "''")}'`).get()) as { value: unknown[] };
  return page.value.length;
}

/** Graph requests that change something (POST actions that only read, like getByIds, excluded). */
export function writes(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
  const readOnlyPost = /\/(getByIds|getMemberObjects|getMemberGroups|checkMemberGroups|checkMemberObjects)$/;
  return entries.filter(
    (e) => (e.kind === "graph" || e.kind === "batch-item") && ["POST", "PATCH", "PUT", "DELETE"].includes(e.method) && !(e.method === "POST" && readOnlyPost.test(e.path)),
  );
}
