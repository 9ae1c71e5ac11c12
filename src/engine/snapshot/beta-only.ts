/**
 * Fields a kind read through Graph v1.0 cannot show: Graph's beta endpoint returns properties v1.0
 * does not have (agent identity conditions, continuous access evaluation, …), and v1.0 simply leaves
 * them out. So for kinds whose beta API is richer, the same collection is also listed through beta
 * and every beta-only property set on an object is reported: export and plan must never treat
 * "not returned" as "not there".
 */
import type { JsonObject, JsonValue } from "../../model/document.js";
import { betaPropertiesFor } from "../../kinds/beta-properties.js";
import type { GraphGateway } from "../../graph/types.js";
import type { Kind } from "../../model/kind.js";
import type { KindDescriptor } from "../../kinds/types.js";

/** Beta-only properties set on one object that the kind's v1.0 read did not return. */
export interface HiddenFields {
  kind: Kind;
  id: string;
  /** Dotted spec paths. */
  paths: string[];
}

/** The outcome of the check for one kind: objects with hidden fields, or why it could not be done. */
export type BetaCheck = { kind: Kind; hidden: HiddenFields[] } | { kind: Kind; error: string };

function isSet(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.values(value).some((v) => isSet(v));
  return true;
}

function valueAt(body: JsonObject, path: string): JsonValue | undefined {
  let node: JsonValue | undefined = body;
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = node[part];
  }
  return node;
}

/** True when the descriptor is read through v1.0 but its kind has beta-only properties. */
export function needsBetaCheck(descriptor: KindDescriptor): boolean {
  return descriptor.apiVersion === "v1.0" && !descriptor.singleton && betaPropertiesFor(descriptor.kind).length > 0;
}

/**
 * Lists the kind through beta and names, per object, the beta properties it has set that its v1.0
 * read (`v1`, by id) did not return.
 */
export async function checkBetaOnly(gateway: GraphGateway, descriptor: KindDescriptor, v1: ReadonlyMap<string, JsonObject>): Promise<BetaCheck> {
  const properties = betaPropertiesFor(descriptor.kind);
  try {
    const bodies = await gateway.list(descriptor.collectionPath, { version: "beta" });
    const hidden: HiddenFields[] = [];
    for (const body of bodies) {
      const id = typeof body.id === "string" ? body.id : "";
      const seen = v1.get(id);
      if (seen === undefined) continue;
      const paths = properties.map((p) => p.path).filter((path) => isSet(valueAt(body, path)) && !isSet(valueAt(seen, path)));
      if (paths.length > 0) hidden.push({ kind: descriptor.kind, id, paths });
    }
    return { kind: descriptor.kind, hidden };
  } catch (error) {
    return { kind: descriptor.kind, error: error instanceof Error ? error.message : String(error) };
  }
}

/** One sentence per object for export and plan. */
export function hiddenFieldsMessage(kind: Kind, paths: readonly string[]): string {
  return `the tenant has beta-only ${paths.length === 1 ? "property" : "properties"} ${paths.join(", ")}, which Graph v1.0 does not return: the document cannot hold ${paths.length === 1 ? "it" : "them"} and plan cannot compare or change ${paths.length === 1 ? "it" : "them"}. To manage ${paths.length === 1 ? "it" : "them"}, set graphVersion: { ${kind}: beta } in entra-gitops.yaml`;
}

export function betaCheckFailedMessage(kind: Kind, error: string): string {
  return `could not read ${kind} through Graph beta to look for beta-only properties v1.0 does not return (${error}): fields may be missing from the documents without notice`;
}

/** The checks as warnings, each naming its object by address (`KIND/NAME`) when it has a document. */
export function betaCheckWarnings(checks: readonly BetaCheck[], documents: ReadonlyArray<{ kind: Kind; name: string; id?: string }>): Array<{ address?: string; message: string }> {
  const names = new Map(documents.map((d) => [`${d.kind}/${(d.id ?? "").toLowerCase()}`, d.name]));
  const out: Array<{ address?: string; message: string }> = [];
  for (const check of checks) {
    if ("error" in check) {
      out.push({ message: betaCheckFailedMessage(check.kind, check.error) });
      continue;
    }
    for (const hidden of check.hidden) {
      const name = names.get(`${hidden.kind}/${hidden.id.toLowerCase()}`) ?? hidden.id;
      out.push({ address: `${hidden.kind}/${name}`, message: hiddenFieldsMessage(hidden.kind, hidden.paths) });
    }
  }
  return out;
}
