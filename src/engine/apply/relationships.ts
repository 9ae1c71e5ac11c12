import { GraphError } from "../../graph/errors.js";
import type { GraphGateway } from "../../graph/types.js";
import type { KindDescriptor } from "../../kinds/types.js";
import { withReplicationRetry } from "./replication.js";
import type { RetryOptions } from "./replication.js";

/** `@odata.id` of a directory object for `$ref` writes, on the gateway's own Graph host. */
function directoryObjectRef(graphRoot: string, id: string): string {
  return `${graphRoot.replace(/\/+$/, "")}/v1.0/directoryObjects/${id}`;
}

export interface RelationshipWrites {
  added: number;
  removed: number;
}

/**
 * Brings members/owners of one object to the desired id sets: POST `{item}/{segment}/$ref` for each
 * missing id, DELETE `{item}/{segment}/{id}/$ref` for each extra one. Adding before removing, so an
 * object never passes through having no owner.
 */
export async function writeRelationships(
  gateway: GraphGateway,
  descriptor: KindDescriptor,
  objectId: string,
  desired: Record<string, string[]>,
  actual: Record<string, string[]>,
  graphRoot: string,
  retry: RetryOptions,
): Promise<RelationshipWrites> {
  const result: RelationshipWrites = { added: 0, removed: 0 };
  for (const relationship of descriptor.relationships ?? []) {
    const want = new Set((desired[relationship.property] ?? []).map((id) => id.toLowerCase()));
    const have = new Set((actual[relationship.property] ?? []).map((id) => id.toLowerCase()));
    const base = `${descriptor.itemPath(objectId)}/${relationship.segment}`;
    for (const id of [...want].sort()) {
      if (have.has(id)) continue;
      try {
        await withReplicationRetry(
          () => gateway.post(`${base}/$ref`, { "@odata.id": directoryObjectRef(graphRoot, id) }, { version: descriptor.apiVersion }),
          // Repeating an add is harmless: "already exists" below counts as done.
          { ...retry, idempotent: true },
        );
        result.added += 1;
      } catch (error) {
        // Already there (a restored object keeps its links; a re-run after a partial apply): converged.
        if (!(error instanceof GraphError && error.status === 400 && /already exist/i.test(error.graphMessage))) throw error;
      }
    }
    for (const id of [...have].sort()) {
      if (want.has(id)) continue;
      await withReplicationRetry(() => gateway.delete(`${base}/${id}/$ref`, { version: descriptor.apiVersion, ignoreMissing: true }), { ...retry, idempotent: true });
      result.removed += 1;
    }
  }
  return result;
}
