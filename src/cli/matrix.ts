import { appendFile, readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { MatrixError, chunkEnvironments, GITHUB_MATRIX_LIMIT } from "../config/matrix.js";
import type { PlanSummary } from "../model/plan.js";
import { renderTenantsMarkdown, renderTenantsText, tenantRow } from "../render/tenants-summary.js";
import type { TenantReport } from "../render/tenants-summary.js";
import { EXIT, ExitRequest, UserError } from "./errors.js";
import { out } from "./output.js";
import { globalOptions, readConfig } from "./workspace.js";

/**
 * `matrix`: the GitHub Actions matrix generated from `environments:` in entra-gitops.yaml, so
 * nobody keeps a list of tenants in the workflows, and the summary across the matrix's jobs
 * (README "Several tenants").
 */
export function command(): Command {
  const matrix = new Command("matrix").description("GitHub Actions matrix of the configured environments, in chunks of at most 256 jobs, and a summary across them");
  matrix
    .command("chunks")
    .description('the chunk numbers as a matrix: {"chunk":[0,1,…]}')
    .option("--size <n>", `environments per chunk (at most ${GITHUB_MATRIX_LIMIT}, GitHub's matrix limit)`, parseSize, GITHUB_MATRIX_LIMIT)
    .option("--github-output <name>", "also append <name>=<matrix> to $GITHUB_OUTPUT")
    .action(async (flags: { size: number; githubOutput?: string }, cmd: Command) => {
      const chunks = chunksOf(cmd, flags.size);
      await emit({ chunk: chunks.map((_, index) => index) }, flags.githubOutput);
    });
  matrix
    .command("jobs")
    .description('one chunk\'s environments as a matrix: {"include":[{"environment":"…"},…]}')
    .option("--chunk <k>", "chunk number (from `matrix chunks`); needed when there is more than one chunk", parseChunk)
    .option("--size <n>", `environments per chunk (at most ${GITHUB_MATRIX_LIMIT})`, parseSize, GITHUB_MATRIX_LIMIT)
    .option("--github-output <name>", "also append <name>=<matrix> to $GITHUB_OUTPUT")
    .action(async (flags: { chunk?: number; size: number; githubOutput?: string }, cmd: Command) => {
      const chunks = chunksOf(cmd, flags.size);
      if (flags.chunk === undefined && chunks.length > 1) {
        throw new UserError(`${chunks.length} chunks of ${flags.size} environments: pass --chunk 0…${chunks.length - 1} (GitHub runs at most ${GITHUB_MATRIX_LIMIT} jobs per matrix)`);
      }
      const index = flags.chunk ?? 0;
      const chunk = chunks[index];
      if (!chunk) throw new UserError(`--chunk ${index}: there are ${chunks.length} chunk(s) (0…${chunks.length - 1})`);
      await emit({ include: chunk }, flags.githubOutput);
    });
  matrix
    .command("summary")
    .description("one table across environments from the reports saved with `plan --out` or `sync --out` (exit 1 if any failed)")
    .argument("<dir>", "folder of the reports (e.g. downloaded artifacts; searched recursively; each names its environment, else is named <environment>.json)")
    .option("--format <format>", "text or markdown", "text")
    .action(async (dir: string, flags: { format: string }, cmd: Command) => {
      if (flags.format !== "text" && flags.format !== "markdown") throw new UserError(`--format must be text or markdown, got "${flags.format}"`);
      const config = readConfig(globalOptions(cmd));
      const found = await readReports(dir);
      const rows = config.environmentNames.map((environment) => tenantRow(found.get(environment) ?? { environment, problem: "no report (the job failed before saving it, or did not run)" }));
      out(flags.format === "markdown" ? renderTenantsMarkdown(rows) : renderTenantsText(rows));
      const stepSummary = process.env.GITHUB_STEP_SUMMARY;
      if (stepSummary) await appendFile(stepSummary, `${renderTenantsMarkdown(rows)}\n`);
      if (rows.some((row) => row.outcome === "failed")) throw new ExitRequest(EXIT.error);
    });
  return matrix;
}

function chunksOf(cmd: Command, size: number): ReturnType<typeof chunkEnvironments> {
  const config = readConfig(globalOptions(cmd));
  if (config.environmentNames.length === 0) throw new UserError(`no environments in ${config.file ?? "the configuration"}: add them under environments:`);
  try {
    return chunkEnvironments(config.environmentNames, size);
  } catch (error) {
    if (error instanceof MatrixError) throw new UserError(`${config.file ?? "the configuration"}: ${error.message}`);
    throw error;
  }
}

async function emit(value: unknown, githubOutput: string | undefined): Promise<void> {
  const json = JSON.stringify(value);
  out(json);
  if (githubOutput === undefined) return;
  const file = process.env.GITHUB_OUTPUT;
  if (!file) throw new UserError("--github-output needs $GITHUB_OUTPUT (set by GitHub Actions in every step)");
  await appendFile(file, `${githubOutput}=${json}\n`);
}

/**
 * The reports anywhere under `dir` (artifact downloads nest one folder per artifact), by the
 * environment they name (`environment` in the report, else the file name `<environment>.json`).
 * A missing folder is no reports at all: every environment then counts as failed.
 */
async function readReports(dir: string): Promise<Map<string, TenantReport & { file: string }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw new UserError(`cannot read ${dir}: ${error.code ?? error.message}`);
  });
  const reports = new Map<string, TenantReport & { file: string }>();
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith(".json")) continue;
    const file = join(entry.parentPath, entry.name);
    const report = await readReport(entry.name.slice(0, -".json".length), file);
    const other = reports.get(report.environment);
    if (other !== undefined) throw new UserError(`two reports for environment "${report.environment}": ${other.file} and ${file}`);
    reports.set(report.environment, { ...report, file });
  }
  return reports;
}

async function readReport(fallbackName: string, file: string): Promise<TenantReport> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as { summary?: PlanSummary; environment?: unknown; mode?: unknown };
    const environment = typeof parsed.environment === "string" ? parsed.environment : fallbackName;
    if (!parsed.summary || typeof parsed.summary.errors !== "number") return { environment, problem: `${file}: not a plan, drift or sync report (no summary)` };
    return { environment, summary: parsed.summary, ...(parsed.mode === "drift" ? { mode: "drift" as const } : {}) };
  } catch (error) {
    return { environment: fallbackName, problem: `${file}: unreadable (${(error as Error).message})` };
  }
}

function parseSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > GITHUB_MATRIX_LIMIT) throw new InvalidArgumentError(`a whole number from 1 to ${GITHUB_MATRIX_LIMIT}`);
  return n;
}

function parseChunk(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("a chunk number from 0");
  return n;
}
