import type { Actor } from "./actor.js";
import type { AttributedObject } from "./types.js";

const SUBJECT_MAX = 72;
const VERB = { added: "add", modified: "update", deleted: "delete" } as const;
const MATCH_LABEL = { displayName: "display name", singleton: "activity", roleMember: "principal and role", memberDeleted: "a deleted member", principalDeleted: "its deleted principal" } as const;

/**
 * Subject under 72 characters: `alice@contoso.com: update conditionalAccessPolicy/require-mfa,
 * delete namedLocation/x`, shortened step by step (`… and 2 more`, then counts per verb).
 */
export function commitSubject(prefix: string, objects: readonly AttributedObject[]): string {
  const items = objects.map((o) => `${VERB[o.change.change]} ${o.change.address}`);
  const candidates = [`${prefix}: ${items.join(", ")}`];
  if (items.length > 1) candidates.push(`${prefix}: ${items[0]} and ${items.length - 1} more`);
  const counts = (["added", "modified", "deleted"] as const)
    .map((c) => [VERB[c], objects.filter((o) => o.change.change === c).length] as const)
    .filter(([, n]) => n > 0)
    .map(([verb, n]) => `${verb} ${n}`);
  candidates.push(`${prefix}: ${counts.join(", ")} object${objects.length === 1 ? "" : "s"}`);
  const fit = candidates.find((c) => c.length <= SUBJECT_MAX);
  return fit ?? `${(candidates.at(-1) ?? prefix).slice(0, SUBJECT_MAX - 1)}…`;
}

/** Body of an attributed commit: each object with the audit activities that explain it. */
export function attributedBody(actor: Actor, objects: readonly AttributedObject[]): string {
  const lines = ["Changed outside git; recorded by entra-gitops sync from the Entra audit log.", ""];
  for (const o of objects) {
    lines.push(objectLine(o));
    for (const { audit, actor: who, matchedBy } of o.activities) {
      const by = who.key === actor.key ? "" : ` (by ${who.name} <${who.email}>)`;
      const corr = audit.correlationId ? `  correlation ${audit.correlationId}` : "";
      const how = matchedBy === "id" ? "" : ` [matched by ${MATCH_LABEL[matchedBy]}]`;
      lines.push(`  ${audit.activityDateTime}  ${audit.activityDisplayName}${corr}${by}${how}`);
      const props = [...new Set(audit.targetResources.flatMap((t) => t.modifiedProperties.flatMap((p) => p.displayName ?? [])))];
      if (props.length > 0) lines.push(`    properties: ${props.join(", ")}`);
    }
  }
  lines.push("", `Initiated-By: ${actor.type} ${actor.key.slice(actor.key.indexOf(":") + 1)} ${actor.label}`);
  return lines.join("\n");
}

/** Body of the commit for changes no audit entry explains. */
export function unattributedBody(objects: readonly AttributedObject[], graceMinutes?: number): string {
  const lead = graceMinutes
    ? [
        `No directory audit entry matched these changes within ${graceMinutes} min of a sync first seeing`,
        "them (the grace period, sync.auditGrace); they were held back until now. Causes: the change",
        "was made by a service that does not audit, the audit log lags more than the grace period,",
        "or the AuditLog.Read.All permission is missing.",
      ]
    : [
        "No directory audit entry in the sync window matched these changes. Causes: the audit log",
        "lags (entries arrive minutes late), the change was made by a service that does not audit,",
        "or the audit window or AuditLog.Read.All permission is missing.",
      ];
  return [
    ...lead,
    "",
    ...objects.map(objectLine),
  ].join("\n");
}

function objectLine(o: AttributedObject): string {
  const id = o.change.id ? ` (id ${o.change.id})` : "";
  return `${VERB[o.change.change]} ${o.change.address}${id}`;
}
