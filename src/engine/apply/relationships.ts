import { GraphError } from "../../graph/errors.js";
import type { BatchRequest, BatchResult, GraphGateway } from "../../graph/types.js";
import type { KindDescriptor, ReferencePrefix, Relationship } from "../../kinds/types.js";
import { isReplicationError, isTransientError, realSleep, withReplicationRetry } from "./replication.js";
import type { RetryOptions } from "./replication.js";

/** Graph takes at most 20 link changes per request (group-post-members; group-post-groups). */
export const MAX_LINKS_PER_REQUEST = 20;

/** `@odata.id` of a directory object for `$ref` writes, on the gateway's own Graph host. */
function directoryObjectRef(graphRoot: string, id: string): string {
  return `${graphRoot.replace(/\/+$/, "")}/v1.0/directoryObjects/${id}`;
}

/** One member or owner Graph refused, named as the document names it when it can be. */
export interface LinkFailure {
  action: "add" | "remove";
  /** The relationship property, e.g. `members`. */
  property: string;
  /** `user:ann@contoso.com`, `group:sg-x`, or the id when the object has no name here. */
  member: string;
  message: string;
}

/** Some members or owners could not be written; the others were. */
export class LinkWriteError extends Error {
  constructor(readonly failures: readonly LinkFailure[]) {
    super(
      `${failures.length} member/owner change(s) failed: ` +
        failures.map((f) => `${f.action === "add" ? "adding" : "removing"} ${f.property} ${f.member}: ${f.message}`).join("; "),
    );
    this.name = "LinkWriteError";
  }
}

export interface RelationshipWrites {
  added: number;
  removed: number;
  /** Requests sent for these writes (PATCHes and `$batch` calls). */
  requests: number;
}

export interface RelationshipContext {
  gateway: GraphGateway;
  graphRoot: string;
  retry: RetryOptions;
  /** The document's name for an id (`user:…`, `group:…`), for messages. */
  nameOf?: (id: string, targets: readonly ReferencePrefix[]) => string | undefined;
  /** Which of `targets` a managed id is (a link written from the target's side needs its collection). */
  prefixOf?: (id: string, targets: readonly ReferencePrefix[]) => ReferencePrefix | undefined;
  /** Lower-cased ids of the objects this apply deletes (`LinkWrite.release`). */
  deleting?: ReadonlySet<string>;
}

interface LinkWrite {
  action: "add" | "remove";
  relationship: Relationship;
  id: string;
  request: BatchRequest;
  /**
   * Before an add refused for the one-per-target limit is tried again: unlink the target from the
   * object that holds it when the same plan deletes that object (deletes run after every update).
   */
  release?: () => Promise<void>;
}

/**
 * Brings members/owners of one object to the desired id sets with as few requests as Graph allows:
 * - adds of a relationship Graph binds on PATCH (group members) go 20 per `PATCH {item}` with
 *   `members@odata.bind`; Graph adds all of them or none, so a refused PATCH is redone member by
 *   member through `$batch` to learn which member it refused;
 * - other adds are `POST {item}/{segment}/$ref` and removals `DELETE {item}/{segment}/{id}/$ref`,
 *   20 per `$batch`, each with its own answer.
 * Adds go before removals, so an object never passes through having no owner. "Already exists" on
 * an add and 404 on a removal count as done (a re-run after a partial apply converges); replication
 * errors are retried with backoff. Every other refusal is reported per member (`LinkWriteError`)
 * after all the other writes were made.
 */
export async function writeRelationships(
  ctx: RelationshipContext,
  descriptor: KindDescriptor,
  objectId: string,
  desired: Record<string, string[]>,
  actual: Record<string, string[]>,
): Promise<RelationshipWrites> {
  const result: RelationshipWrites = { added: 0, removed: 0, requests: 0 };
  const failures: LinkFailure[] = [];
  const version = { version: descriptor.apiVersion };
  const itemPath = descriptor.itemPath(objectId);
  const adds: LinkWrite[] = [];
  const removes: LinkWrite[] = [];
  for (const relationship of descriptor.relationships ?? []) {
    const want = new Set((desired[relationship.property] ?? []).map((id) => id.toLowerCase()));
    const have = new Set((actual[relationship.property] ?? []).map((id) => id.toLowerCase()));
    const base = `${itemPath}/${relationship.segment}`;
    const missing = [...want].filter((id) => !have.has(id)).sort();
    const gone = [...have].filter((id) => !want.has(id)).sort();
    if (relationship.writtenFrom) {
      const own = `${ctx.graphRoot.replace(/\/+$/, "")}/${descriptor.apiVersion}${itemPath}`;
      for (const [action, ids] of [["add", missing], ["remove", gone]] as const) {
        for (const id of ids) {
          const write = await fromTarget(ctx, descriptor, relationship, action, id, objectId, own);
          if ("message" in write) failures.push(write);
          else (action === "add" ? adds : removes).push(write);
        }
      }
      continue;
    }
    if (relationship.bindOnPatch) {
      for (let i = 0; i < missing.length; i += MAX_LINKS_PER_REQUEST) {
        const chunk = missing.slice(i, i + MAX_LINKS_PER_REQUEST);
        result.requests++;
        try {
          const body = { [`${relationship.property}@odata.bind`]: chunk.map((id) => directoryObjectRef(ctx.graphRoot, id)) };
          // Repeating it is harmless: a repeat refused with "already exist" is redone per member below.
          await withReplicationRetry(() => ctx.gateway.patch(itemPath, body, version), { ...ctx.retry, idempotent: true });
          result.added += chunk.length;
        } catch (error) {
          if (!(error instanceof GraphError) || (error.status !== 400 && error.status !== 404)) throw error;
          adds.push(...chunk.map((id) => refAdd(ctx, relationship, base, id, descriptor)));
        }
      }
    } else {
      adds.push(...missing.map((id) => refAdd(ctx, relationship, base, id, descriptor)));
    }
    for (const id of gone) {
      removes.push({
        action: "remove",
        relationship,
        id,
        request: { id: "", method: "DELETE", path: `${base}/${id}/$ref`, options: version, idempotent: true },
      });
    }
  }
  const added = await runLinkWrites(ctx, adds, failures, result);
  result.added += added;
  result.removed += await runLinkWrites(ctx, removes, failures, result);
  if (failures.length > 0) throw new LinkWriteError(failures);
  return result;
}

/** `@odata.type` of a directory object → the prefix documents use for it. */
const PREFIX_OF_TYPE: Readonly<Record<string, ReferencePrefix>> = {
  "#microsoft.graph.application": "application",
  "#microsoft.graph.serviceprincipal": "servicePrincipal",
};

/**
 * A link Graph writes from the target's side (`Relationship.writtenFrom`): the target's kind from
 * the index, or for an id no document holds from `GET /directoryObjects/{id}`; then `POST
 * {target}/{segment}/$ref` with this object's `@odata.id`, or `DELETE {target}/{segment}/{objectId}/$ref`.
 */
async function fromTarget(
  ctx: RelationshipContext,
  descriptor: KindDescriptor,
  relationship: Relationship,
  action: "add" | "remove",
  id: string,
  objectId: string,
  own: string,
): Promise<LinkWrite | LinkFailure> {
  const sides = relationship.writtenFrom ?? {};
  const targets = relationship.targets;
  let prefix = ctx.prefixOf?.(id, targets);
  if (prefix === undefined) {
    const found = await ctx.gateway.get(`/directoryObjects/${id}`, { version: "v1.0", query: { $select: "id" } });
    const type = found?.["@odata.type"];
    prefix = typeof type === "string" ? PREFIX_OF_TYPE[type.toLowerCase()] : undefined;
  }
  const side = prefix === undefined ? undefined : sides[prefix];
  const member = ctx.nameOf?.(id, targets) ?? id;
  if (!side) {
    return { action, property: relationship.property, member, message: `not ${targets.map((t) => `a${/^[aeiou]/i.test(t) ? "n" : ""} ${t}`).join(" or ")} in the tenant` };
  }
  const base = `${side.collectionPath}/${id}/${side.segment}`;
  const options = { version: descriptor.apiVersion };
  const request: BatchRequest =
    action === "add"
      ? { id: "", method: "POST", path: `${base}/$ref`, body: { "@odata.id": own }, options, idempotent: true }
      : { id: "", method: "DELETE", path: `${base}/${objectId}/$ref`, options, idempotent: true };
  const deleting = ctx.deleting;
  if (action !== "add" || !relationship.onePerTarget || !deleting || deleting.size === 0) return { action, relationship, id, request };
  const release = async (): Promise<void> => {
    const held = await ctx.gateway.list(base, { ...options, query: { $select: "id" } });
    for (const holder of held) {
      const holderId = holder.id;
      if (typeof holderId === "string" && deleting.has(holderId.toLowerCase())) await ctx.gateway.delete(`${base}/${holderId}/$ref`, { ...options, ignoreMissing: true });
    }
  };
  return { action, relationship, id, request, release };
}

function refAdd(ctx: RelationshipContext, relationship: Relationship, base: string, id: string, descriptor: KindDescriptor): LinkWrite {
  return {
    action: "add",
    relationship,
    id,
    request: {
      id: "",
      method: "POST",
      path: `${base}/$ref`,
      body: { "@odata.id": directoryObjectRef(ctx.graphRoot, id) },
      options: { version: descriptor.apiVersion },
      // Repeating an add is harmless: "already exists" counts as done.
      idempotent: true,
    },
  };
}

/** Sends link writes through `$batch`, retrying replication errors per item; returns how many took. */
async function runLinkWrites(ctx: RelationshipContext, writes: LinkWrite[], failures: LinkFailure[], counts: RelationshipWrites): Promise<number> {
  const attempts = ctx.retry.attempts ?? 8;
  const sleep = ctx.retry.sleep ?? realSleep;
  let delay = ctx.retry.baseDelayMs ?? 500;
  let pending = writes.map((write, i) => ({ ...write, request: { ...write.request, id: String(i) } }));
  let done = 0;
  for (let attempt = 1; pending.length > 0; attempt++) {
    counts.requests += Math.ceil(pending.length / MAX_LINKS_PER_REQUEST);
    const answers = await ctx.gateway.batch(pending.map((w) => w.request));
    const again: typeof pending = [];
    for (const write of pending) {
      const answer = answers.get(write.request.id);
      const outcome = classify(write, answer, ctx.retry.recentIds);
      if (outcome === "done") done++;
      else if (outcome === "retry" && attempt < attempts) again.push(write);
      else {
        const member = ctx.nameOf?.(write.id, write.relationship.targets) ?? write.id;
        failures.push({ action: write.action, property: write.relationship.property, member, message: describe(answer) });
      }
    }
    if (again.length === 0) break;
    await Promise.all(again.map((write) => write.release?.()));
    ctx.retry.onRetry?.(attempt, new Error(`${again.length} member/owner change(s) not taken yet`));
    await sleep(delay);
    delay = Math.min(delay * 2, 10_000);
    pending = again;
  }
  return done;
}

function classify(write: LinkWrite, answer: BatchResult | undefined, recentIds: ReadonlySet<string> | undefined): "done" | "retry" | "failed" {
  if (!answer) return "failed";
  if (answer.ok) return "done";
  // Already there (a restored object keeps its links; a re-run after a partial apply): converged.
  if (write.action === "add" && answer.status === 400 && /already exist/i.test(answer.message)) return "done";
  // Already gone: converged.
  if (write.action === "remove" && answer.status === 404) return "done";
  // The target holds another object of the kind (one per target): the same run may be removing it.
  if (write.action === "add" && write.relationship.onePerTarget && answer.status === 400) return "retry";
  const error = new GraphError({ status: answer.status, code: answer.code, message: answer.message, method: write.request.method ?? "GET", path: write.request.path });
  return isReplicationError(error, recentIds) || isTransientError(error) ? "retry" : "failed";
}

function describe(answer: BatchResult | undefined): string {
  if (!answer) return "no answer in the $batch response";
  if (answer.ok) return "ok";
  return `HTTP ${answer.status} ${answer.code}: ${answer.message}`;
}
