/**
 * `user:<userPrincipalName>` references resolve whatever kinds are in scope: users a snapshot did
 * not read (the `user` kind is opt-in) are looked up one by one by UPN (`GET /users/{upn}`), so
 * plan fails early, naming the document, when one does not exist, instead of apply failing later.
 */
import type { EntraDocument } from "../../documents/types.js";
import type { GraphGateway } from "../../graph/types.js";
import { allReferenceFields } from "../../kinds/normalize.js";
import { referencesIn } from "../../kinds/references.js";
import { getKind } from "../../kinds/registry.js";
import type { DirectoryIndex } from "./directory-index.js";

export interface MissingUser {
  upn: string;
  /** Where it is referenced: `KIND/NAME spec.path`, or the configuration setting. */
  where: string[];
}

/** Looks up every referenced user the index does not know; returns the ones Graph does not have. */
export async function resolveUserReferences(
  gateway: GraphGateway,
  index: DirectoryIndex,
  documents: readonly EntraDocument[],
  extra: ReadonlyArray<{ upn: string; where: string }> = [],
): Promise<MissingUser[]> {
  const wanted = new Map<string, MissingUser>();
  const want = (upn: string, where: string): void => {
    const key = upn.toLowerCase();
    const entry = wanted.get(key) ?? { upn, where: [] };
    entry.where.push(where);
    wanted.set(key, entry);
  };
  for (const doc of documents) {
    for (const { path, reference } of referencesIn(doc.spec, allReferenceFields(getKind(doc.kind)))) {
      if (reference.prefix === "user") want(reference.name, `${doc.kind}/${doc.name} spec.${path}`);
    }
  }
  for (const { upn, where } of extra) want(upn, where);
  // Users the same plan creates (the user kind in scope) exist once it is applied.
  const planned = new Set(documents.filter((d) => d.kind === "user" && typeof d.spec.userPrincipalName === "string").map((d) => (d.spec.userPrincipalName as string).toLowerCase()));
  const missing: MissingUser[] = [];
  for (const entry of wanted.values()) {
    if (planned.has(entry.upn.toLowerCase())) continue;
    if (index.resolveName("user", entry.upn, "id") !== undefined) continue;
    const user = await gateway.get(`/users/${encodeURIComponent(entry.upn)}`, { query: { $select: "id,userPrincipalName" } });
    if (user && typeof user.id === "string") index.addUser(user.id, typeof user.userPrincipalName === "string" ? user.userPrincipalName : entry.upn);
    else missing.push(entry);
  }
  return missing;
}

export function missingUsersMessage(missing: readonly MissingUser[]): string {
  return missing.map((m) => `user:${m.upn} does not exist in the tenant (referenced by ${m.where.join(", ")})`).join("; ");
}
