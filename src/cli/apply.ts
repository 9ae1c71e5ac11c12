import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline/promises";
import { Command } from "commander";
import { applyPlan } from "../engine/apply/apply.js";
import type { ObjectResult } from "../engine/apply/apply.js";
import { stalePlanReasons } from "../engine/apply/stale.js";
import { planContentDifferences } from "../engine/apply/bound-plan.js";
import type { LiveObject, Plan } from "../model/plan.js";
import { hasChanges } from "../model/plan-summary.js";
import { configDigest, makePlan } from "../engine/planning.js";
import type { Snapshot } from "../engine/snapshot/snapshot.js";
import type { StreamSource } from "../engine/streams.js";
import { withWriteLock } from "../git/write-lock.js";
import { isKind } from "../model/kind.js";
import type { Kind, ObjectId } from "../model/kind.js";
import { withGraphVersion } from "../kinds/graph-versions.js";
import { getKind, sortByDependencies } from "../kinds/registry.js";
import type { KindDescriptor } from "../kinds/types.js";
import { parsePlanJson, renderJson } from "../render/json.js";
import { renderText } from "../render/text.js";
import { loadDesired, streamFilesOf } from "./desired.js";
import type { DesiredState } from "./desired.js";
import { EXIT, ExitRequest, UserError } from "./errors.js";
import { graphUrlOf } from "./graph-url.js";
import { inCi, out, progress, useColor } from "./output.js";
import { overridesFrom } from "./overrides.js";
import { recordSecretVersions } from "./secret-versions.js";
import { connect, globalOptions, kindsInScope, readConfig } from "./workspace.js";
import type { Gateway } from "../graph/create.js";
import type { ResolvedConfig } from "../config/index.js";
import { readEnvironmentSecretVersions } from "../state/environment-state.js";

export interface ApplyFlags {
  autoApprove?: boolean;
  allowDelete?: boolean;
  allowLockout?: boolean | string[];
  allowProtected?: boolean | string[];
  allowRecreate?: boolean | string[];
  kinds?: string;
}

export function command(): Command {
  return new Command("apply")
    .description("apply the configuration (or a saved, reviewed plan) to the tenant")
    .argument("[planfile]", "a plan saved with `plan --out`; refused if the tenant or configuration changed since")
    .option("--auto-approve", "do not ask for confirmation")
    .option("--allow-delete", "allow deletions (needs `prune: true` in the configuration)")
    .option("--allow-lockout [globs...]", "allow Conditional Access changes the lockout guard refuses")
    .option("--allow-protected [globs...]", "allow changes to protected objects")
    .option("--allow-recreate [globs...]", "allow re-creating objects whose create-only fields changed")
    .option("--kinds <kinds>", "comma-separated kinds (without a plan file)")
    .action(async (planFile: string | undefined, flags: ApplyFlags, cmd: Command) => runApply(readConfig(globalOptions(cmd)), planFile, flags));
}

/**
 * `apply`: also what `rollback --apply` runs before committing, with the rolled-back documents as
 * `desired` (default: the working tree). Returns whether every write succeeded; failures are
 * printed, and the caller decides the exit (`apply` itself exits 1 on any failure).
 */
export async function runApply(config: ResolvedConfig, planFile: string | undefined, flags: ApplyFlags, desired?: DesiredState): Promise<void> {
  if (!(await applyConfiguration(config, planFile, flags, desired))) throw new ExitRequest(EXIT.error);
}

export async function applyConfiguration(config: ResolvedConfig, planFile: string | undefined, flags: ApplyFlags, desired?: DesiredState): Promise<boolean> {
  // One writer per environment: planning happens under the lock too, so a second run sees the first one's result.
  return withWriteLock(config.rootDir, config.environment?.name ?? "default", planFile ? `apply ${planFile}` : "apply", () => applyLocked(config, planFile, flags, desired), { onWait: progress });
}

async function applyLocked(config: ResolvedConfig, planFile: string | undefined, flags: ApplyFlags, desired?: DesiredState): Promise<boolean> {
  const gateway = connect(config, progress);
  const { plan, snapshot, streams } = planFile ? await loadSavedPlan(planFile, config, gateway, flags) : await planNow(config, gateway, flags, desired);
  if (!planFile) out(renderText(plan, { color: useColor(), mode: "plan" }));
  refuseBlocked(plan, !planFile);
  if (!hasChanges(plan)) {
    out(plan.summary.hidden ? "No changes in the fields Graph returns; nothing to apply (see the warnings about beta-only fields)." : "No changes. The tenant matches the configuration.");
    return true;
  }
  if (!planFile && !flags.autoApprove) await confirmApply();
  const descriptors = new Map(plan.settings.scope.map((kind) => [kind, withGraphVersion(getKind(kind), config.graphVersion[kind])]));
  const results = await applyPlan(plan, {
    gateway,
    descriptors,
    index: snapshot.index,
    graphRoot: graphUrlOf(config),
    allowRecreate: Boolean(flags.allowRecreate),
    files: { configDir: config.configDirPath, rootDir: config.rootDir },
    // The images beside the documents from where the documents came (a revision, a rollback).
    ...(streams ? { streams } : {}),
    onResult: (result) => out(resultLine(result)),
  });
  // The secrets written (a create, a rotation): their version markers go to the environment's state.
  await recordSecretVersions(config, plan, results, descriptors);
  const failed = results.filter((r) => r.status !== "done");
  out(`Apply complete: ${results.length - failed.length} done, ${results.filter((r) => r.status === "failed").length} failed, ${results.filter((r) => r.status === "skipped").length} skipped.`);
  return failed.length === 0;
}

interface PlanNowOptions {
  /** The kinds to plan (default: the configuration's scope narrowed by `--kinds`). */
  descriptors?: KindDescriptor[];
  /** The creation time of a saved plan being recomputed. */
  createdAt?: string;
}

async function planNow(config: ResolvedConfig, gateway: Gateway, flags: ApplyFlags, given?: DesiredState, options: PlanNowOptions = {}): Promise<Planned> {
  const desired = given ?? (await loadDesired(config));
  const outcome = await makePlan({
    config,
    descriptors: options.descriptors ?? kindsInScope(config, flags.kinds),
    gateway,
    desired: desired.documents,
    gitRevision: desired.gitRevision,
    graphUrl: graphUrlOf(config),
    allowDelete: flags.allowDelete ?? false,
    overrides: overridesFrom(flags),
    secretVersions: await readEnvironmentSecretVersions(config),
    ...(options.createdAt !== undefined ? { createdAt: options.createdAt } : {}),
    ...streamFilesOf(desired),
  });
  return { ...outcome, ...(desired.streams ? { streams: desired.streams } : {}) };
}

/** A plan, and where apply reads the images beside its documents. */
interface Planned {
  plan: Plan;
  snapshot: Snapshot;
  streams?: StreamSource;
}

/**
 * A saved plan is applied only if nothing it was computed from has changed (docs/design.md §8), and only
 * as the configuration gives it: the plan is computed again from the configuration it was made
 * from (the working tree, or the plan's revision, whichever has the plan's digest) and the live
 * tenant, and the saved changes must be exactly those. What is applied is the recomputed plan,
 * with the guards evaluated for apply's own flags.
 */
async function loadSavedPlan(file: string, config: ResolvedConfig, gateway: Gateway, flags: ApplyFlags): Promise<Planned> {
  let plan: Plan;
  try {
    plan = parsePlanJson(await readFile(file, "utf8"));
  } catch (error) {
    throw new UserError(`${file}: not a plan saved by \`entra-gitops plan --out\` (${error instanceof Error ? error.message : String(error)})`);
  }
  const scope: unknown = plan.settings?.scope;
  const kinds = Array.isArray(scope) ? scope.filter((k): k is Kind => typeof k === "string" && isKind(k)) : [];
  const outside = Array.isArray(scope) ? scope.filter((k) => !kinds.includes(k as Kind) || !config.kinds.includes(k as Kind)) : ["(none)"];
  if (outside.length > 0 || kinds.length === 0) {
    throw new UserError(`saved plan ${file} names kinds the configuration does not manage (${outside.map(String).join(", ")}); nothing was applied`);
  }
  const desired = await desiredForPlan(config, plan);
  const outcome = await planNow(config, gateway, flags, desired, {
    descriptors: sortByDependencies(kinds).map((kind) => withGraphVersion(getKind(kind), config.graphVersion[kind])),
    ...(typeof plan.createdAt === "string" ? { createdAt: plan.createdAt } : {}),
  });
  const live: LiveObject[] = outcome.snapshot.documents.map((d) => ({ kind: d.kind, name: d.name, id: (d.id ?? d.kind) as ObjectId, spec: d.spec }));
  const reasons = stalePlanReasons(plan, live, { configDigest: configDigest(config, desired.documents), tenantId: outcome.plan.tenantId });
  if (reasons.length > 0) {
    throw new UserError(
      `saved plan ${file} is stale; nothing was applied. Run plan again and review it.`,
      reasons.map((r) => ({ severity: "error", path: r.address, message: r.reason })),
    );
  }
  // Against the recomputed plan as `plan --out` would have saved it (secret references redacted).
  const differences = planContentDifferences(plan, parsePlanJson(renderJson(outcome.plan)));
  if (differences.length > 0) {
    throw new UserError(
      `saved plan ${file} does not hold the changes its configuration and the tenant give (was it edited after \`plan --out\`?); nothing was applied. Run plan again and review it.`,
      differences.map((r) => ({ severity: "error", path: r.address, message: r.reason })),
    );
  }
  return outcome;
}

/**
 * The documents a saved plan was computed from: the working tree when its digest is the plan's,
 * else the plan's git revision when that one's is (the tree moved on since `plan --rev` or a
 * commit); else the working tree, which the stale check then reports as a different configuration.
 */
async function desiredForPlan(config: ResolvedConfig, plan: Plan): Promise<DesiredState> {
  const tree = await loadDesired(config).catch((error: unknown) => error);
  if (!(tree instanceof Error) && configDigest(config, (tree as DesiredState).documents) === plan.configDigest) return tree as DesiredState;
  if (typeof plan.gitRevision === "string" && /^[0-9a-f]{40}$/.test(plan.gitRevision)) {
    const atRevision = await loadDesired(config, plan.gitRevision).catch(() => undefined);
    if (atRevision && configDigest(config, atRevision.documents) === plan.configDigest) return atRevision;
  }
  if (tree instanceof Error) throw tree;
  return tree as DesiredState;
}

/**
 * Stops apply when a guard blocks or the plan has errors. When the plan was just printed (its
 * findings with their fixes included), the findings are not repeated: each message appears once.
 */
export function refuseBlocked(plan: Plan, findingsShown = false): void {
  const blocked = plan.guards.filter((g) => g.severity === "block" && !g.overridden);
  const errors = plan.diagnostics.filter((d) => d.severity === "error");
  if (blocked.length === 0 && errors.length === 0) return;
  if (findingsShown) {
    throw new UserError(`apply refused; nothing was written (${[errors.length ? `${errors.length} error(s)` : "", blocked.length ? `${blocked.length} blocking guard finding(s)` : ""].filter(Boolean).join(" and ")} above)`);
  }
  throw new UserError(
    "apply refused; nothing was written",
    [
      ...errors.map((d) => ({ severity: "error" as const, ...(d.address ? { path: d.address } : {}), message: d.message })),
      ...blocked.map((g) => ({ severity: "error" as const, ...(g.address ? { path: g.address } : {}), message: `${g.message}${g.override ? ` (override: ${g.override})` : ""}` })),
    ],
  );
}

export async function confirmApply(): Promise<void> {
  if (inCi() || !process.stdin.isTTY) {
    throw new UserError("apply without a saved plan needs --auto-approve when not on a terminal (CI never prompts)");
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question("Apply these changes to the tenant? Only 'yes' is accepted: ");
    if (answer.trim() !== "yes") throw new UserError("apply cancelled; nothing was written");
  } finally {
    rl.close();
  }
}

export function resultLine(result: ObjectResult): string {
  const verb = { create: "created", update: "updated", delete: "deleted", restore: "restored" }[result.action];
  if (result.status === "done") {
    if (result.replacedId) return `replaced ${result.address} (${result.replacedId} → ${result.id ?? "?"})${notTakenLine(result)}`;
    const id = result.id && result.action !== "delete" ? ` (${result.id})` : "";
    return `${verb} ${result.address}${id}${notTakenLine(result)}`;
  }
  return `${result.status === "failed" ? "FAILED" : "skipped"} ${result.action} ${result.address}: ${result.message ?? ""}`;
}

function notTakenLine(result: ObjectResult): string {
  return result.notTaken ? `\n  warning: Graph accepted the write but did not take: ${result.notTaken.join(", ")}` : "";
}
