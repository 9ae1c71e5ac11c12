/**
 * `entra-gitops sandbox`: runs the local sandbox tenant (docs/design.md §6) until SIGINT/SIGTERM, writes
 * the connection variables to an env file (mode 600; the secret is never printed), and persists
 * the tenant state on exit when `--state` is given.
 */
import { resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { createSandbox, parseAuditLatency } from "../sandbox/index.js";
import { documentSeed, isDocumentFolder } from "./rehearsal-seed.js";
import type { AuditLatencySetting, Sandbox, SandboxOptions, SandboxSeed } from "../sandbox/index.js";

export const DEFAULT_ENV_FILE = ".sandbox/sandbox.env";

interface SandboxFlags {
  port?: number;
  seed: string;
  seedEnv?: string;
  state?: string;
  writeEnv?: string;
  /** The older name of --write-env: works with the installed binary, but `npx` and `node` take it as Node's own option. */
  envFile?: string;
  throttling?: boolean;
  latency?: number;
  auditLatency?: AuditLatencySetting;
  deletedItemsAppOnly?: "allow" | "refuse";
}

export function command(): Command {
  return new Command("sandbox")
    .description("Run the local sandbox tenant: a Graph-compatible Entra tenant over HTTPS on 127.0.0.1")
    .option("--port <n>", "TCP port (default: a free port)", parseInteger("port", 0, 65535))
    .option("--seed <demo|empty|DIR>", "seed for a new tenant: the demo tenant, an empty one, a configuration repository (its YAML documents: rehearse a change locally), or a folder of Graph JSON exports", "demo")
    .option("--seed-env <name>", "with --seed DIR holding a configuration repository: the environment whose vars and documents to seed")
    .option("--state <file>", "load the tenant from this file if it exists; save it there on exit")
    .option("--write-env <file>", `where to write the connection variables (default: ${DEFAULT_ENV_FILE})`)
    .option("--env-file <file>", "the same as --write-env, for the installed binary only (npx and node read --env-file themselves)")
    .option("--throttling", "enable Microsoft Graph's throttling model")
    .option("--latency <ms>", "delay every Graph request by this many milliseconds", parseInteger("latency", 0, 600_000))
    .option(
      "--audit-latency <realistic|off|ms>",
      "how late audit entries appear: realistic (default; p95 2 min, p99 5 min, up to 15 min), off, or a fixed delay in ms",
      parseAuditLatencyFlag,
    )
    .option(
      "--deleted-items-app-only <allow|refuse>",
      "app-only tokens on the deleted items of CA policies and named locations (beta): allow (default) or refuse with 403, as a tenant may",
      (value: string) => {
        if (value !== "allow" && value !== "refuse") throw new InvalidArgumentError("expected allow or refuse");
        return value;
      },
    )
    .addHelpText(
      "after",
      `\nConnect a shell or CI job with:\n  set -a; . ${DEFAULT_ENV_FILE}; set +a\nThe env file holds a client secret (mode 600): keep it out of git.`,
    )
    .action(async (flags: SandboxFlags) => {
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      try {
        const out = (line: string): void => void process.stdout.write(`${line}\n`);
        await runSandbox(await withDocumentSeed(sandboxOptions(flags), flags.seedEnv, out), { out, signal: controller.signal });
      } finally {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
      }
    });
}

export function parseSeed(value: string): SandboxSeed {
  if (value === "demo" || value === "empty") return value;
  return { dir: resolve(value) };
}

/**
 * A `--seed DIR` that holds a configuration repository (or a folder of documents) seeds the tenant
 * with its documents as `env` renders them; a folder of Graph JSON stays a folder seed.
 */
export async function withDocumentSeed(options: SandboxOptions, env: string | undefined, out: (line: string) => void): Promise<SandboxOptions> {
  const seed = options.seed;
  if (typeof seed !== "object" || !("dir" in seed) || !isDocumentFolder(seed.dir)) {
    if (env !== undefined) throw new InvalidArgumentError("--seed-env needs --seed DIR with a configuration repository");
    return options;
  }
  const documents = await documentSeed(seed.dir, env);
  for (const upn of documents.placeholders) out(`  placeholder: user ${upn} (referenced by the documents, no user document; created disabled)`);
  for (const skipped of documents.skipped) out(`  skipped:     ${skipped.file}: ${skipped.reason}`);
  const environment = documents.config.environment?.name;
  return { ...options, seed: { steps: documents.steps, source: `${seed.dir}${environment ? ` (environment ${environment})` : ""}` } };
}

export function sandboxOptions(flags: SandboxFlags): SandboxOptions {
  if (flags.writeEnv !== undefined && flags.envFile !== undefined && resolve(flags.writeEnv) !== resolve(flags.envFile)) {
    throw new InvalidArgumentError(`--write-env ${flags.writeEnv} and --env-file ${flags.envFile} name different files: give one`);
  }
  const envFile = flags.writeEnv ?? flags.envFile ?? DEFAULT_ENV_FILE;
  const options: SandboxOptions = { seed: parseSeed(flags.seed), envFile: resolve(envFile) };
  if (flags.port !== undefined) options.port = flags.port;
  if (flags.state) options.stateFile = resolve(flags.state);
  if (flags.throttling) options.throttling = true;
  if (flags.latency !== undefined) options.latencyMs = flags.latency;
  if (flags.auditLatency !== undefined) options.auditLatency = flags.auditLatency;
  if (flags.deletedItemsAppOnly !== undefined) options.deletedItemsAppOnly = flags.deletedItemsAppOnly;
  return options;
}

export interface RunIo {
  out(line: string): void;
  /** Aborting stops the sandbox (the command wires it to SIGINT/SIGTERM). */
  signal: AbortSignal;
  /** Called once the sandbox is listening (tests). */
  onReady?(sandbox: Sandbox): void;
}

/** Starts the sandbox, prints how to connect, waits for the signal, then stops and saves state. */
export async function runSandbox(options: SandboxOptions, io: RunIo): Promise<void> {
  const sandbox = await createSandbox(options);
  const envFile = options.envFile ?? resolve(DEFAULT_ENV_FILE);
  io.out(`Sandbox tenant ${sandbox.tenantId} listening on ${sandbox.url}`);
  io.out(`  Graph:       ${sandbox.graphUrl}/v1.0`);
  io.out(`  Client id:   ${sandbox.env.AZURE_CLIENT_ID} (secret in the env file)`);
  io.out(`  Certificate: ${sandbox.certPath}`);
  io.out(`  Env file:    ${envFile}`);
  if (options.stateFile) io.out(`  State file:  ${options.stateFile} (saved on exit)`);
  io.out(`  Tenant:      ${describeSource(sandbox, options)}`);
  for (const failure of sandbox.seedReport.failures) io.out(`  refused:     ${failure.label}: ${failure.status} ${failure.message}`);
  for (const skipped of sandbox.seedReport.skipped) io.out(`  skipped:     ${skipped.file}: ${skipped.reason}`);
  if (options.throttling) io.out("  Throttling:  on (Graph identity-and-access limits)");
  if (options.latencyMs) io.out(`  Latency:     ${options.latencyMs} ms per request`);
  io.out(`  Audit log:   ${describeAuditLatency(options.auditLatency ?? "realistic")}`);
  io.out("");
  io.out("Connect a shell or CI job with:");
  io.out(`  set -a; . ${shellQuote(envFile)}; set +a`);
  io.out("Press Ctrl+C to stop.");
  io.onReady?.(sandbox);
  await new Promise<void>((resolveWait) => {
    if (io.signal.aborted) resolveWait();
    else io.signal.addEventListener("abort", () => resolveWait(), { once: true });
  });
  await sandbox.stop();
  io.out(options.stateFile ? `Sandbox stopped; state saved to ${options.stateFile}.` : "Sandbox stopped.");
}

function describeSource(sandbox: Sandbox, options: SandboxOptions): string {
  const report = sandbox.seedReport;
  switch (report.source) {
    case "state":
      return `loaded from ${options.stateFile ?? "the state file"}`;
    case "demo":
      return `new, demo seed (${report.applied} objects)`;
    case "empty":
      return "new, empty";
    case "folder": {
      const dir = typeof options.seed === "object" && "dir" in options.seed ? options.seed.dir : "";
      return `new, seeded from ${dir}: ${report.applied} objects, ${report.failures.length} refused, ${report.skipped.length} files skipped`;
    }
    case "documents": {
      const source = typeof options.seed === "object" && "source" in options.seed ? options.seed.source : "";
      return `new, seeded from the documents of ${source}: ${report.applied} writes, ${report.failures.length} refused`;
    }
    case "given":
      return "provided by the caller";
  }
}

function describeAuditLatency(setting: AuditLatencySetting): string {
  if (setting === "off") return "entries visible at once";
  if (setting === "realistic") return "entries visible after a realistic delay (p95 2 min, p99 5 min, up to 15 min)";
  return `entries visible after ${setting} ms`;
}

function parseAuditLatencyFlag(value: string): AuditLatencySetting {
  try {
    return parseAuditLatency(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

function parseInteger(name: string, min: number, max: number): (value: string) => number {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}.`);
    }
    return parsed;
  };
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
