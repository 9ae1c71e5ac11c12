import { constants, readdirSync, readFileSync } from "node:fs";
import { access, mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { Command } from "commander";
import { DEFAULT_CONFIG_DIR, DEFAULT_CONFIG_FILE, defaultConfigText } from "../config/index.js";
import { buildInfo, type BuildInfo } from "./build-info.js";
import { UserError } from "./errors.js";
import { out, progress } from "./output.js";

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

  const workflowsDir = join(root, ".github", "workflows");
  await makeDir(workflowsDir);
  for (const [name, content] of Object.entries(workflowTemplates(action.ref))) await write(`.github/workflows/${name}`, content);
  return result;
}

export function command(): Command {
  return new Command("init")
    .description("scaffold entra-gitops.yaml, tenant-config/ and .github/workflows/ (never overwrites files)")
    .argument("[dir]", "directory to set up", ".")
    .option("--action <owner/repo@sha>", "the entra-gitops GitHub Action the workflows use (default: the repository and commit of this build)")
    .action(async (dir: string, flags: { action?: string }) => {
      const result = await initProject(dir, flags.action !== undefined ? { action: flags.action } : {});
      const where = relative(process.cwd(), resolve(dir)) || ".";
      for (const path of result.created) out(`created ${join(where, path)}`);
      for (const path of result.kept) out(`kept existing ${join(where, path)}`);
      const wroteWorkflows = result.created.some((p) => p.startsWith(".github/"));
      if (wroteWorkflows && result.action.known) out(`workflows install entra-gitops with uses: ${result.action.ref}`);
      if (wroteWorkflows && !result.action.known) {
        progress(`warning: this build does not know its GitHub repository and commit: replace ${UNKNOWN_ACTION} in .github/workflows/*.yml with the entra-gitops repository and a full commit sha (or run init --action OWNER/REPO@SHA)`);
      }
      out(
        result.created.includes(DEFAULT_CONFIG_FILE)
          ? `next: set tenantId/clientId under environments in ${join(where, DEFAULT_CONFIG_FILE)}, then run entra-gitops export`
          : `${join(where, DEFAULT_CONFIG_FILE)} already existed and was not changed`,
      );
    });
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
