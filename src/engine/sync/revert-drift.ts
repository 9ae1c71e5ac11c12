import type { ResolvedConfig } from "../../config/index.js";
import type { GraphGateway } from "../../graph/types.js";
import { runGuards } from "../../guards/run-guards.js";
import type { Address, Kind, ObjectId } from "../../model/kind.js";
import type { KindDescriptor } from "../../kinds/types.js";
import { applyPlan } from "../apply/apply.js";
import type { ObjectResult } from "../apply/apply.js";
import { blockingFindings, hasChanges } from "../../model/plan-summary.js";
import type { Plan } from "../../model/plan.js";
import { guardContext, makePlan, runnerOf } from "../planning.js";
import { focusRevert, revertDesired } from "./revert-plan.js";
import { withEnvironmentIds } from "../../state/id-map.js";
import { environmentView, renderForEnvironment } from "../../documents/environment-view.js";
import type { AttributedObject } from "./types.js";
import type { StreamFiles } from "./read-tenant.js";
import { bytesStreams, streamPathOf, type StreamSource } from "../streams.js";
import { documentPath } from "../../git/paths.js";

/** One drifted object of a `revert` kind, and who drifted it (from the audit log). */
export interface RevertTarget {
  address: Address;
  kind: Kind;
  change: "added" | "modified" | "deleted";
  /** Audit entries that explain the drift, oldest first; empty when none matched. */
  changedBy: { actor: string; email: string; at: string; activity: string }[];
}

export interface RevertOutcome {
  targets: RevertTarget[];
  /**
   * `reverted`: applied (see `results` for per-object failures); `blocked`: a guard or an error
   * stopped it, nothing written; `failed`: it could not be planned; `planned`: not applied on
   * request; `unchanged`: the tenant already matches git for these objects.
   */
  status: "reverted" | "blocked" | "failed" | "planned" | "unchanged";
  plan?: Plan;
  /** Why nothing was applied (blocking guard findings, error diagnostics, planning errors). */
  reasons: { address?: Address; message: string }[];
  results: ObjectResult[];
  /** Objects created outside git that are left in place because `prune` is off. */
  kept: Address[];
}

export interface RevertRequest {
  config: ResolvedConfig;
  gateway: GraphGateway;
  descriptors: readonly KindDescriptor[];
  /** Graph root, e.g. `https://graph.microsoft.com` (host of `@odata.id` in `$ref` writes). */
  graphUrl: string;
  folder: string;
  gitRevision: string | null;
  before: ReadonlyMap<string, string>;
  after: ReadonlyMap<string, string>;
  /** The drifted objects of `revert` kinds, attributed. */
  objects: readonly AttributedObject[];
  /** The environment's ids by address (committed map and fresh export): documents carry none. */
  ids?: ReadonlyMap<string, string>;
  /**
   * The read's stream files (branding images beside the documents): the reverted documents' images
   * are written back from HEAD's bytes. Only when the read covered every stream kind in scope.
   */
  streams?: StreamFiles;
  /** Plan only (`sync --no-commit`): write nothing to the tenant. */
  planOnly?: boolean;
  onResult?: (result: ObjectResult) => void;
}

/**
 * Self-heal (drift policy `revert`): plans the committed documents of exactly the drifted objects
 * against the tenant, runs the guards over that plan (deletes of portal-created objects allowed
 * only under `prune: true`), and applies it when nothing blocks. Never commits.
 */
export async function revertDrift(request: RevertRequest): Promise<RevertOutcome> {
  const targets = request.objects.map(targetOf);
  const base = { targets, reasons: [], results: [], kept: [] };
  if (targets.length === 0) return { ...base, status: "unchanged" };
  const revertPaths = new Set(request.objects.map((o) => o.change.file.path));
  const written = revertDesired({ folder: request.folder, before: request.before, after: request.after, revertPaths });
  // The environment's view: its vars rendered, other environments' documents set aside.
  const rendered = renderForEnvironment(written.documents, environmentView(request.config));
  const desired = { documents: rendered.documents, diagnostics: [...written.diagnostics, ...rendered.diagnostics] };
  const unreadable = desired.diagnostics.filter((d) => d.severity === "error");
  if (unreadable.length > 0) {
    return { ...base, status: "failed", reasons: unreadable.map((d) => ({ message: `${d.file ?? ""}${d.line ? `:${d.line}` : ""}: ${d.message}` })) };
  }
  const streams = revertStreams(request, revertPaths);
  let plan: Plan;
  let outcome: Awaited<ReturnType<typeof makePlan>>;
  try {
    outcome = await makePlan({
      config: request.config,
      descriptors: request.descriptors,
      gateway: request.gateway,
      desired: withEnvironmentIds(desired.documents, request.ids ?? new Map()),
      gitRevision: request.gitRevision,
      graphUrl: request.graphUrl,
      allowDelete: request.config.prune,
      ...(streams ? { streamFiles: streams } : {}),
    });
    const focused = focusRevert(outcome.plan, new Set(targets.map((t) => t.address)));
    const runner = runnerOf(await request.gateway.whoAmI(), outcome.snapshot);
    const live = outcome.snapshot.documents.map((d) => ({ kind: d.kind, name: d.name, id: (d.id ?? d.kind) as ObjectId, spec: d.spec }));
    plan = runGuards(focused, guardContext(request.config, { allowDelete: request.config.prune }, runner, live));
  } catch (error) {
    return { ...base, status: "failed", reasons: [{ message: error instanceof Error ? error.message : String(error) }] };
  }
  const kept = plan.unmanaged.map((u) => u.address);
  const reasons = [
    ...plan.diagnostics.filter((d) => d.severity === "error").map((d) => ({ ...(d.address ? { address: d.address } : {}), message: d.message })),
    ...blockingFindings(plan).map((g) => ({ ...(g.address ? { address: g.address } : {}), message: `${g.message} (${g.guard} guard)` })),
  ];
  if (reasons.length > 0) return { ...base, status: "blocked", plan, reasons, kept };
  if (!hasChanges(plan)) return { ...base, status: "unchanged", plan, kept };
  if (request.planOnly) return { ...base, status: "planned", plan, kept };
  const results = await applyPlan(plan, {
    gateway: request.gateway,
    descriptors: new Map(request.descriptors.map((d) => [d.kind, d])),
    index: outcome.snapshot.index,
    graphRoot: request.graphUrl,
    files: { configDir: request.config.configDirPath, rootDir: request.config.rootDir },
    ...(streams ? { streams } : {}),
    ...(request.onResult ? { onResult: request.onResult } : {}),
  });
  return { ...base, status: "reverted", plan, results, kept };
}

/** The export's stream files with the reverted documents' taken from HEAD; undefined when the read did not cover every stream kind. */
function revertStreams(request: RevertRequest, revertPaths: ReadonlySet<string>): StreamSource | undefined {
  const read = request.streams;
  if (!read || !request.descriptors.filter((d) => d.streams).every((d) => read.kinds.has(d.kind))) return undefined;
  const reverted = (path: string): boolean => {
    const where = streamPathOf(request.descriptors, request.folder, path);
    return where !== undefined && revertPaths.has(documentPath(request.folder, where.descriptor.kind, where.name));
  };
  const files = new Map([...read.after].filter(([path]) => !reverted(path)));
  for (const [path, bytes] of read.before) if (reverted(path)) files.set(path, bytes);
  return bytesStreams(files, request.folder);
}

function targetOf(o: AttributedObject): RevertTarget {
  return {
    address: o.change.address,
    kind: o.change.kind,
    change: o.change.change,
    changedBy: o.activities.map((a) => ({
      actor: a.actor.label,
      email: a.actor.email,
      at: a.audit.activityDateTime,
      activity: a.audit.activityDisplayName,
    })),
  };
}
