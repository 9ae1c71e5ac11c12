import { constants, readdirSync, readFileSync } from "node:fs";
import { access, mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { Command } from "commander";
import { DEFAULT_CONFIG_DIR, DEFAULT_CONFIG_FILE, defaultConfigText, packageSchemas, SCHEMAS_FOLDER } from "../config/index.js";
import { buildInfo, type BuildInfo } from "./build-info.js";
import { UserError } from "./errors.js";
import { out, progress } from "./output.js";
import { proposeBreakGlassInConfig } from "./break-glass-proposal.js";
import { connect, kindsInScope, readConfig } from "./workspace.js";
import { takeSnapshot } from "../engine/snapshot/snapshot.js";

/** Where the package keeps the workflow templates (the same files this repository runs). */
const TEMPLATES = new URL("../../templates/workflows/", import.meta.url);

/** The templates' stand-in for the entra-gitops action reference, filled in by `workflowTemplates`. */
export const ACTION_PLACEHOLDER = "__ENTRA_GITOPS_ACTION__";
/** Written when the running build does not know its repository or commit: GitHub refuses to run it until edited. */
export const UNKNOWN_ACTION = "OWNER/entra-gitops@COMMIT_SHA";
const ACTION_REF = /^(\.\/|[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+@[0-9a-f]{40})$/;

/**
 * The `uses:` value of the workflows' install step: `--action` if given (`OWNER/REPO@<40-hex>`, or
 * `./` in the entra-gitops repository itself), else the repository and commit this build came
 * from, so the workflows run the same version as the CLI that wrote them.
 */
export function actionReference(given?: string, info: BuildInfo = buildInfo()): { ref: string; known: boolean } {
  if (given !== undefined) {
    if (!ACTION_REF.test(given)) throw new UserError(`--action must be OWNER/REPO@<full 40-hex commit sha> (got "${given}"): workflows pin every action to a commit`);
    return { ref: given, known: true };
  }
  if (info.commit && info.repository && !info.dirty) return { ref: `${info.repository}@${info.commit}`, known: true };
  return { ref: UNKNOWN_ACTION, known: false };
}

/**
 * GitHub Actions workflows `init` writes into `.github/workflows/` (file name → content): plan on
 * pull request, apply on merge, scheduled drift sync; each installs the CLI with `uses: ACTION`.
 */
export function workflowTemplates(action: string): Record<string, string> {
  const templates: Record<string, string> = {};
  for (const name of readdirSync(TEMPLATES).filter((f) => f.endsWith(".yml")).sort()) {
    templates[name] = readFileSync(new URL(name, TEMPLATES), "utf8").replaceAll(ACTION_PLACEHOLDER, action);
  }
  return templates;
}

export interface InitResult {
  /** Paths created, relative to the target directory. */
  created: string[];
  /** Paths that already existed and were left untouched. */
  kept: string[];
}

/** Scaffolds a configuration repository in `dir`; never overwrites a file. */
export async function initProject(dir: string, options: { action?: string } = {}): Promise<InitResult & { action: { ref: string; known: boolean } }> {
  const action = actionReference(options.action);
  const root = resolve(dir);
  await ensureWritableDir(root);
  const result: InitResult & { action: typeof action } = { created: [], kept: [], action };
  const write = async (rel: string, content: string): Promise<void> => {
    const path = join(root, rel);
    try {
      await writeFile(path, content, { flag: "wx" });
      result.created.push(rel);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") result.kept.push(rel);
      else throw fsError(path, error);
    }
  };

  await write(DEFAULT_CONFIG_FILE, defaultConfigText());

  const configDir = join(root, DEFAULT_CONFIG_DIR);
  const existing = await entries(configDir);
  if (existing === undefined) await makeDir(configDir);
  if (existing === undefined || existing.length === 0) await write(`${DEFAULT_CONFIG_DIR}/.gitkeep`, "");
  else result.kept.push(`${DEFAULT_CONFIG_DIR}/`);

  // The JSON schemas the documents' (and this file's) $schema modelines point at.
  await makeDir(join(root, SCHEMAS_FOLDER));
  for (const [name, content] of packageSchemas()) await write(`${SCHEMAS_FOLDER}/${name}`, content);

  const workflowsDir = join(root, ".github", "workflows");
  await makeDir(workflowsDir);
  for (const [name, content] of Object.entries(workflowTemplates(action.ref))) await write(`.github/workflows/${name}`, content);
  return result;
}

export function command(): Command {
  return new Command("init")
    .description("scaffold entra-gitops.yaml, tenant-config/, .entra-gitops/schemas/ and .github/workflows/ (never overwrites files)")
    .argument("[dir]", "directory to set up", ".")
    .option("--action <owner/repo@sha>", "the entra-gitops GitHub Action the workflows use (default: the repository and commit of this build)")
    .option("--from-tenant", "sign in (the usual AZURE_* variables, --env) and propose breakGlass from the tenant's Conditional Access policies")
    .action(async (dir: string, flags: { action?: string; fromTenant?: boolean }, cmd: Command) => {
      const result = await initProject(dir, flags.action !== undefined ? { action: flags.action } : {});
      const where = relative(process.cwd(), resolve(dir)) || ".";
      for (const line of initReport(result, where)) out(line);
      if (result.created.some((p) => p.startsWith(".github/")) && !result.action.known) {
        progress(`warning: this build does not know its GitHub repository and commit: replace ${UNKNOWN_ACTION} in .github/workflows/*.yml with the entra-gitops repository and a full commit sha (or run init --action OWNER/REPO@SHA)`);
      }
      const env = cmd.optsWithGlobals<{ env?: string }>().env;
      const configFile = join(resolve(dir), DEFAULT_CONFIG_FILE);
      if (flags.fromTenant) {
        out(await proposeFromTenant(configFile, env));
        return;
      }
      // An existing configuration init cannot read is left to the commands that use it.
      const config = (() => {
        try {
          return readConfig({ config: configFile, ...(env !== undefined ? { env } : {}) });
        } catch {
          return undefined;
        }
      })();
      if (config && config.breakGlass.accounts.length === 0 && config.breakGlass.groups.length === 0) {
        const at = where === "." ? "" : ` ${where}`;
        out(`no breakGlass is configured: run entra-gitops init${at} --from-tenant once signed in, or export, to propose it (the accounts and groups every enabled blocking Conditional Access policy excludes) as commented lines in ${join(where, DEFAULT_CONFIG_FILE)}`);
      }
    });
}

/**
 * `init --from-tenant`: reads the tenant's groups and Conditional Access policies (nothing else) and
 * proposes breakGlass in the configuration exactly as export does (break-glass-proposal.ts).
 */
async function proposeFromTenant(configFile: string, env: string | undefined): Promise<string> {
  const config = readConfig({ config: configFile, ...(env !== undefined ? { env } : {}) });
  if (config.breakGlass.accounts.length > 0 || config.breakGlass.groups.length > 0) return `breakGlass is configured in ${configFile}: nothing to propose`;
  const gateway = connect(config, progress);
  const snapshot = await takeSnapshot(gateway, kindsInScope(config, "group,conditionalAccessPolicy"));
  if (snapshot.failed.size > 0) {
    const reasons = new Set(snapshot.failed.values());
    const failures = reasons.size === 1 ? [...reasons][0] : [...snapshot.failed].map(([kind, reason]) => `${kind}: ${reason}`).join("; ");
    throw new UserError(`cannot propose breakGlass: the tenant could not be read (${failures}); the files written above stay: sign in (README "Connecting to a tenant") and run init --from-tenant again, or export`);
  }
  return (await proposeBreakGlassInConfig(config, snapshot)) ?? `the tenant has no enabled blocking Conditional Access policy (or none that excludes the same accounts or groups): nothing to propose; set breakGlass in ${configFile} by hand`;
}

/**
 * What `init` tells the user: each file created or kept (the schemas as one line), the action the
 * workflows use, the environment they run with, and the steps left (README "CI set-up").
 */
export function initReport(result: InitResult & { action: { ref: string; known: boolean } }, where: string): string[] {
  const at = (path: string): string => (where === "." ? path : join(where, path));
  const schemas = (paths: string[]): string[] => paths.filter((p) => p.startsWith(`${SCHEMAS_FOLDER}/`));
  const others = (paths: string[]): string[] => paths.filter((p) => !p.startsWith(`${SCHEMAS_FOLDER}/`));
  const lines: string[] = [];
  for (const path of others(result.created)) lines.push(`created ${at(path)}`);
  if (schemas(result.created).length > 0) lines.push(`created ${at(SCHEMAS_FOLDER)}/: ${schemas(result.created).length} JSON schema(s) for editor validation (export refreshes them)`);
  for (const path of others(result.kept)) lines.push(`kept existing ${at(path)}`);
  if (schemas(result.kept).length > 0) lines.push(`kept ${schemas(result.kept).length} existing schema(s) in ${at(SCHEMAS_FOLDER)}/ (export refreshes them)`);
  const config = at(DEFAULT_CONFIG_FILE);
  const workflows = result.created.filter((p) => p.startsWith(".github/"));
  if (workflows.length > 0 && result.action.known) lines.push(`the workflows install the CLI with uses: ${result.action.ref}`);
  if (!result.created.includes(DEFAULT_CONFIG_FILE)) {
    lines.push(`${config} already existed and was not changed: the workflows run with --env production, so it needs an environment named production`);
    return lines;
  }
  lines.push(
    `${config} defines the environment "production" (the one the workflows run with --env production); its tenant and app ids come from AZURE_TENANT_ID and AZURE_CLIENT_ID`,
    "next:",
    `  1. sign in (AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or a certificate, or az login: README "Connecting to a tenant"), run entra-gitops${where === "." ? "" : ` --config ${config}`} --env production export, and commit everything`,
    "  2. in Entra, give the CI app registration federated credentials for the subjects repo:<owner>/<repo>:environment:production-ci (plan, drift) and repo:<owner>/<repo>:environment:production (apply)",
    "  3. on GitHub, create the environments production-ci and production (required reviewers on production), each with the variables AZURE_TENANT_ID and AZURE_CLIENT_ID; then set the repository variable ENTRA_GITOPS_ENABLED=true",
    '  README "CI set-up" has the details',
  );
  return lines;
}

async function ensureWritableDir(root: string): Promise<void> {
  try {
    await mkdir(root, { recursive: true });
    if (!(await stat(root)).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    await access(root, constants.W_OK);
  } catch (error) {
    throw fsError(root, error);
  }
}

async function makeDir(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    throw fsError(path, error);
  }
}

async function entries(path: string): Promise<string[] | undefined> {
  try {
    return await readdir(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw fsError(path, error);
  }
}

function fsError(path: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code ?? "error";
  const why: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOTDIR: "not a directory",
    EEXIST: "exists and is not a directory",
  };
  return new UserError(`cannot write ${path}: ${why[code] ?? (error as Error).message}`);
}
