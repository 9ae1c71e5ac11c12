import { SINGLETON_NAME } from "./common.js";
import type { KindDescriptor } from "./types.js";
import type { Kind } from "../model/kind.js";

/** Microsoft's id of the application permission Policy.Read.All, which reads every policy singleton. */
export const POLICY_READ_ALL = { "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68" } as const;

/** What differs between the tenant's policy singletons; anything else a descriptor holds may be overridden. */
export interface SingletonPolicyOptions extends Partial<Omit<KindDescriptor, "kind" | "singleton" | "audit" | "permissions">> {
  readonly kind: Kind;
  /** The one object's path, e.g. `/policies/authorizationPolicy`. */
  readonly path: string;
  readonly title: string;
  /** CSDL type without the namespace, e.g. `authorizationPolicy`. */
  readonly type: string;
  /** Entra's audit activity words for the policy. */
  readonly activity: RegExp;
  /** The least-privilege write permission and Microsoft's id of it (reads need Policy.Read.All). */
  readonly write: { readonly permission: string; readonly id: string };
}

/**
 * A policy singleton (README "Coverage": updated, never created or deleted): one object at a fixed
 * path, read by GET, written by PATCH (or `updateMethod`), kept as the document `<kind>/default`.
 * Graph fixes its id, displayName and description, so documents do not carry them.
 */
export function singletonPolicy(options: SingletonPolicyOptions): KindDescriptor {
  const { kind, path, title, type, activity, write, ...overrides } = options;
  const segment = path.slice(path.lastIndexOf("/") + 1);
  return {
    kind,
    audit: { activity },
    detect: { odataTypes: [type], context: new RegExp(segment, "i") },
    title,
    apiVersion: "v1.0",
    graphType: `microsoft.graph.${type}`,
    singleton: true,
    collectionPath: path,
    itemPath: () => path,
    naturalKey: "displayName",
    documentName: () => SINGLETON_NAME,
    serverManaged: ["id", "deletedDateTime", "displayName", "description"],
    createOnly: [],
    setArrays: [],
    references: [],
    dependsOn: [],
    permissions: { read: ["Policy.Read.All"], write: [write.permission], ids: { ...POLICY_READ_ALL, [write.permission]: write.id } },
    ...overrides,
  };
}
