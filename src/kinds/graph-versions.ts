/**
 * Which Graph API version a kind is read and written through. Every kind defaults to v1.0 (stable,
 * supported); kinds Graph serves richer in beta can be switched per kind in `entra-gitops.yaml`
 * (`graphVersion: { conditionalAccessPolicy: beta }`), so their beta-only properties (agent
 * identity conditions, `sessionControls.continuousAccessEvaluation`, …) are exported, compared and
 * applied instead of being invisible.
 */
import { betaPropertiesFor } from "./beta-properties.js";
import type { GraphVersion } from "../graph/types.js";
import type { Kind } from "../model/kind.js";
import type { KindDescriptor } from "./types.js";

export const DEFAULT_GRAPH_VERSION: GraphVersion = "v1.0";

/** `graphVersion:` of the configuration: kinds not named use their descriptor's version (v1.0). */
export type GraphVersions = Partial<Record<Kind, GraphVersion>>;

/** Kinds whose beta API has properties v1.0 lacks (and so may be managed through beta). */
export function betaCapable(kind: Kind): boolean {
  return betaPropertiesFor(kind).length > 0;
}

const cache = new WeakMap<KindDescriptor, KindDescriptor>();

/** The descriptor read and written through `version` (the same object when that is its own). */
export function withGraphVersion(descriptor: KindDescriptor, version: GraphVersion | undefined): KindDescriptor {
  if (version === undefined || version === descriptor.apiVersion) return descriptor;
  let switched = cache.get(descriptor);
  if (switched === undefined) cache.set(descriptor, (switched = { ...descriptor, apiVersion: version }));
  return switched;
}
