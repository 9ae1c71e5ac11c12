import { parseReference } from "../../kinds/reference-syntax.js";
import { kindOfPrefix } from "../../kinds/registry.js";
import type { JsonObject, JsonValue } from "../../model/document.js";
import { isPacedPath } from "../../graph/limiter.js";
import type { GraphGateway } from "../../graph/types.js";
import { address, type Address, type Kind } from "../../model/kind.js";
import type { KindDescriptor } from "../../kinds/types.js";
import { liveIdOf } from "../../kinds/object-paths.js";
import { secretProblems } from "../../kinds/secret-references.js";
import type { Plan, PlanChange } from "../../model/plan.js";
import type { DirectoryIndex } from "../snapshot/directory-index.js";
import type { RetryOptions } from "./replication.js";
import { LinkWriteError, type LinkFailure } from "./relationships.js";
import { notTakenFields, verifyWrite } from "./verify.js";
import { applyCreate, applyDelete, applyReplace, applyRestore, applyUpdate } from "./write-change.js";
import type { WriteContext } from "./write-context.js";
import type { StreamSource } from "../streams.js";

export type ObjectStatus = "done" | "failed" | "skipped";

/** What happened to one object: every change gets a result, so one failure loses nothing else. */
export interface ObjectResult {
  address: Address;
  action: Exclude<PlanChange["action"], "noop">;
  status: ObjectStatus;
  id?: string;
  message?: string;
  /** Fields Graph accepted but did not take (re-read after the write differs). */
  notTaken?: string[];
  /** The id the object had before it was re-created (an update of a create-only field). */
  replacedId?: string;
  /** Members or owners Graph refused, each with its own reason (the others were written). */
  linkFailures?: LinkFailure[];
}

export interface ApplyOptions {
  gateway: GraphGateway;
  descriptors: ReadonlyMap<Kind, KindDescriptor>;
  /** Ids ↔ names of the target tenant (from the snapshot the plan was computed against). */
  index: DirectoryIndex;
  /** e.g. `https://graph.microsoft.com`: host of `@odata.id` in `$ref` writes. */
  graphRoot: string;
  retry?: RetryOptions;
  /** Apply updates that need a create-only field changed by deleting and re-creating. Off by default. */
  allowRecreate?: boolean;
  onResult?: (result: ObjectResult) => void;
  /** Where the documents live: a create reads the files kept beside its document (`engine/attachments.ts`). */
  files?: { configDir: string; rootDir: string };
  /** Where stream files (branding images) are read from, when not `files`' folder (`DesiredState.streams`). */
  streams?: StreamSource;
}

/**
 * Executes a reviewed plan (ARCHITECTURE.md). Each change starts once the changes it must follow are
 * done: those it depends on, earlier changes of objects it references (a group's new members land
 * before the policy that uses the group), and, for a delete, every create and update. Independent
 * changes run concurrently; the gateway keeps them within Graph's throttling (requests in flight,
 * and the 1 request/s Conditional Access bucket). A failed change stops the changes that depend on
 * it and only those; the rest go on. What was written is read back and compared: one GET per
 * object, except kinds in the Conditional Access bucket, read back as one list after their writes
 * (a GET there costs a paced second each). Results come in plan order.
 */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ObjectResult[]> {
  const created = new Set<string>();
  const ctx: WriteContext = { gateway: options.gateway, index: options.index, graphRoot: options.graphRoot, retry: { ...options.retry, recentIds: created }, created, ...(options.files ? { files: options.files } : {}), ...(options.streams ? { streams: options.streams } : {}) };
  const changes = plan.changes.filter((c): c is Exclude<PlanChange, { action: "noop" }> => c.action !== "noop");
  ctx.deleting = new Set(changes.flatMap((c) => (c.action === "delete" ? [c.id.toLowerCase()] : [])));
  refuseMissingSecrets(changes, options.descriptors);
  const broken = new Set<Address>();
  const deferred: DeferredCheck[] = [];
  const tasks = new Map<Address, Promise<void>>();
  const results = new Map<Address, ObjectResult>();
  const finish = (result: ObjectResult): void => {
    if (result.status !== "done") broken.add(result.address);
    results.set(result.address, result);
    options.onResult?.(result);
  };
  let forwardDone: Promise<unknown> | undefined;
  for (const change of changes) {
    // Tasks exist only for earlier changes, so this waits for earlier ones only.
    const before: Array<Promise<unknown> | undefined> = mustFollow(change).map((a) => tasks.get(a));
    if (change.action === "delete") before.push((forwardDone ??= Promise.all([...tasks.values()])));
    tasks.set(
      change.address,
      (async () => {
        await Promise.all(before);
        const descriptor = options.descriptors.get(change.kind);
        const blockedBy = change.dependsOn.find((dep) => broken.has(dep));
        if (!descriptor) {
          finish({ address: change.address, action: change.action, status: "failed", message: `kind ${change.kind} is not known` });
        } else if (blockedBy) {
          finish({ address: change.address, action: change.action, status: "skipped", message: `depends on ${blockedBy}, which was not applied` });
        } else {
          const outcome = await applyOne(ctx, descriptor, change, options.allowRecreate ?? false);
          if (outcome.check && isPacedPath(descriptor.collectionPath)) {
            deferred.push({ ...outcome.check, descriptor, result: outcome.result });
          } else {
            finish(outcome.check ? { ...outcome.result, ...(await verified(ctx, outcome.check)) } : outcome.result);
          }
        }
      })(),
    );
  }
  await Promise.all(tasks.values());
  for (const result of await verifyDeferred(ctx, deferred)) finish(result);
  return changes.map((c) => results.get(c.address)).filter((r): r is ObjectResult => r !== undefined);
}

/**
 * Write-only secrets are written on create and on a rotation only (`kinds/secret-references.ts`):
 * every create, and every rotated secret, must name a variable that is set, or nothing is applied at all.
 */
function refuseMissingSecrets(changes: readonly Exclude<PlanChange, { action: "noop" }>[], descriptors: ReadonlyMap<Kind, KindDescriptor>): void {
  const problems: string[] = [];
  for (const change of changes) {
    const descriptor = descriptors.get(change.kind);
    if (!descriptor?.secrets) continue;
    const rotated = change.action === "update" ? change.fields.filter((f) => f.rotation).map((f) => f.path) : [];
    if (change.action !== "create" && rotated.length === 0) continue;
    const after = change.action === "create" || change.action === "update" ? change.after : {};
    for (const problem of secretProblems(descriptor, after, process.env, change.action === "create" ? undefined : rotated)) problems.push(`${change.address}: ${problem.message}`);
  }
  if (problems.length > 0) throw new Error(`${problems.join("; ")}; nothing was applied`);
}

/**
 * Addresses a change must wait for when they are changed earlier in the plan: those it depends on,
 * and those it references before or after the change (a delete also waits for every create and
 * update, see `applyPlan`).
 */
function mustFollow(change: Exclude<PlanChange, { action: "noop" }>): Address[] {
  const wanted = new Set<Address>(change.dependsOn);
  if (change.action === "delete") return [...wanted];
  const references = [...change.references, ...(change.action === "update" ? referencesIn(change.before) : [])];
  for (const reference of references) {
    const parsed = parseReference(reference);
    const kind = parsed ? kindOfPrefix(parsed.prefix) : undefined;
    if (parsed && kind) wanted.add(address(kind, parsed.name));
  }
  wanted.delete(change.address);
  return [...wanted];
}

/** Every `prefix:name` string anywhere in a spec. */
function referencesIn(value: JsonValue | undefined, out: string[] = []): string[] {
  if (typeof value === "string") {
    if (parseReference(value)) out.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) referencesIn(item, out);
  } else if (value && typeof value === "object") {
    for (const item of Object.values(value)) referencesIn(item, out);
  }
  return out;
}

/** A write to read back and compare: the object, and what it should hold now. */
interface WriteCheck {
  id: string;
  after: JsonObject;
}

interface DeferredCheck extends WriteCheck {
  descriptor: KindDescriptor;
  result: ObjectResult;
}

async function applyOne(
  ctx: WriteContext,
  descriptor: KindDescriptor,
  change: Exclude<PlanChange, { action: "noop" }>,
  allowRecreate: boolean,
): Promise<{ result: ObjectResult; check?: WriteCheck & { descriptor: KindDescriptor } }> {
  const base = { address: change.address, action: change.action };
  const check = (id: string, after: JsonObject) => ({ id, after, descriptor });
  try {
    switch (change.action) {
      case "create": {
        const id = await applyCreate(ctx, descriptor, change);
        return { result: { ...base, status: "done", id }, check: check(id, change.after) };
      }
      case "update": {
        if (change.replace && !allowRecreate) {
          return { result: { ...base, status: "failed", id: change.id, message: `Graph cannot change ${change.replace.fields.join(", ")} after creation; re-create the object (delete and create) to change it` } };
        }
        if (change.replace) {
          const id = await applyReplace(ctx, descriptor, change);
          return { result: { ...base, status: "done", id, replacedId: change.id }, check: check(id, change.after) };
        }
        const { wroteProperties, id: movedTo } = await applyUpdate(ctx, descriptor, change, change.before);
        const id = movedTo ?? change.id;
        // Only members or owners changed: their own answers confirmed them, nothing to read back.
        return { result: { ...base, status: "done", id }, ...(wroteProperties ? { check: check(id, change.after) } : {}) };
      }
      case "restore": {
        await applyRestore(ctx, descriptor, change);
        return { result: { ...base, status: "done", id: change.id }, check: check(change.id, change.after) };
      }
      case "delete":
        await applyDelete(ctx, descriptor, change);
        return { result: { ...base, status: "done", id: change.id } };
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const failures = error instanceof LinkWriteError ? { linkFailures: [...error.failures] } : {};
    return { result: { ...base, status: "failed", ...("id" in change ? { id: change.id } : {}), message, ...failures } };
  }
}

/** The read-back of a write: the fields not taken, or the write marked failed when it cannot be read. */
async function verified(ctx: WriteContext, check: WriteCheck & { descriptor: KindDescriptor }): Promise<Partial<ObjectResult>> {
  try {
    const notTaken = await verifyWrite(ctx, check.descriptor, check.id, check.after);
    return notTaken.length > 0 ? { notTaken } : {};
  } catch (error) {
    return { status: "failed", message: `written, but reading it back failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Read-backs of the Conditional Access bucket's kinds: one list read per kind after all writes
 * (each request there waits a paced second); an object the list does not show yet (replication)
 * is read on its own, with retries.
 */
async function verifyDeferred(ctx: WriteContext, checks: readonly DeferredCheck[]): Promise<ObjectResult[]> {
  const byKind = new Map<KindDescriptor, DeferredCheck[]>();
  for (const check of checks) byKind.set(check.descriptor, [...(byKind.get(check.descriptor) ?? []), check]);
  const out: ObjectResult[] = [];
  for (const [descriptor, list] of byKind) {
    let live: JsonObject[] = [];
    try {
      live = await ctx.gateway.list(descriptor.collectionPath, { version: descriptor.apiVersion, ...(descriptor.listQuery ? { query: { ...descriptor.listQuery } } : {}) });
    } catch {
      // fall back to one read per object below
    }
    const byId = new Map(live.map((o) => [String(liveIdOf(descriptor, o)).toLowerCase(), o]));
    for (const check of list) {
      const found = byId.get(check.id.toLowerCase());
      if (found) {
        const notTaken = notTakenFields(ctx, descriptor, found, check.after);
        out.push(notTaken.length > 0 ? { ...check.result, notTaken } : check.result);
      } else {
        out.push({ ...check.result, ...(await verified(ctx, check)) });
      }
    }
  }
  return out;
}
