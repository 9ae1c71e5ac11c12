import type { JsonObject } from "../model/document.js";
import { isJsonObject } from "../model/json.js";
import { CSDL_NON_CLEARABLE } from "./non-clearable.generated.js";
import type { KindDescriptor } from "./types.js";

/**
 * Properties Graph cannot clear, for one kind. Graph always holds a value for them and a PATCH
 * with `null` is refused or ignored, so a document that leaves one out means "keep the tenant's
 * value": plan compares nothing there, and an update sends the live value back (never `null`).
 * Two sources, unioned:
 * - the CSDL (`non-clearable.generated.ts`): single-valued primitive/enum properties declared
 *   `Nullable="false"`, except those with a descriptor `defaults` entry (absent there means the
 *   default, which can be written) and server-managed/create-only ones;
 * - the descriptor's `keepWhenAbsent`, for properties the CSDL calls nullable but Graph fills
 *   anyway (authorization policy settings, an application's `signInAudience`);
 * - the descriptor's `leftAloneWhenAbsent` lists, which Graph can empty but older documents lack.
 */
export interface NonClearable {
  /** Dotted leaf paths (through objects only). */
  readonly paths: readonly string[];
  /**
   * Non-nullable complex properties: when a document leaves one out entirely, its non-clearable
   * leaves are still kept (other leaves are cleared as usual). A leaf under a nullable complex
   * property applies only when the document has that property.
   */
  readonly containers: ReadonlySet<string>;
}

export type NonClearableSource = Pick<KindDescriptor, "kind"> & Partial<Pick<KindDescriptor, "keepWhenAbsent" | "leftAloneWhenAbsent">>;

const NONE: NonClearable = { paths: [], containers: new Set() };
const cache = new WeakMap<object, NonClearable>();

export function nonClearable(descriptor: NonClearableSource): NonClearable {
  let found = cache.get(descriptor);
  if (found === undefined) {
    const generated = CSDL_NON_CLEARABLE[descriptor.kind];
    const paths = [...new Set([...(generated?.paths ?? []), ...(descriptor.keepWhenAbsent ?? []), ...(descriptor.leftAloneWhenAbsent ?? [])])].sort();
    found = paths.length === 0 ? NONE : { paths, containers: new Set(generated?.containers ?? []) };
    cache.set(descriptor, found);
  }
  return found;
}

/**
 * `desired` with every non-clearable property it leaves out taken from `live` (a copy; the inputs
 * are not modified). Returns `desired` itself when nothing was missing.
 */
export function keepNonClearable(desired: JsonObject, live: JsonObject, rules: NonClearable): JsonObject {
  let result = desired;
  for (const path of rules.paths) {
    const segments = path.split(".");
    const value = liveAt(live, segments);
    if (value === undefined || hasPath(result, segments, rules.containers)) continue;
    if (result === desired) result = structuredClone(desired);
    setPath(result, segments, value, rules.containers);
  }
  return result;
}

function liveAt(live: JsonObject, segments: readonly string[]): JsonObject[string] | undefined {
  let node: JsonObject[string] | undefined = live;
  for (const segment of segments) node = isJsonObject(node) ? node[segment] : undefined;
  return node === null ? undefined : node;
}

/**
 * True when `spec` has the leaf, or when the leaf does not apply: an ancestor the document left
 * out is a nullable complex property (leaving it out clears it whole), or is not an object.
 */
function hasPath(spec: JsonObject, segments: readonly string[], containers: ReadonlySet<string>): boolean {
  let node: JsonObject = spec;
  for (let i = 0; i < segments.length; i++) {
    const child: JsonObject[string] | undefined = node[segments[i] as string];
    if (i === segments.length - 1) return child !== undefined && child !== null;
    if (child === undefined || child === null) return !containers.has(segments.slice(0, i + 1).join("."));
    if (!isJsonObject(child)) return true;
    node = child;
  }
  return true;
}

function setPath(spec: JsonObject, segments: readonly string[], value: JsonObject[string], containers: ReadonlySet<string>): void {
  let node = spec;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i] as string;
    const child = node[key];
    if (isJsonObject(child)) {
      node = child;
    } else {
      if (!containers.has(segments.slice(0, i + 1).join("."))) return;
      const created: JsonObject = {};
      node[key] = created;
      node = created;
    }
  }
  node[segments[segments.length - 1] as string] = value;
}
