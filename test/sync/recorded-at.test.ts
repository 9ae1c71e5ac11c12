import { describe, expect, it } from "vitest";
import type { EntraDocument } from "../../src/model/document.js";
import { address, type Kind } from "../../src/model/kind.js";
import { attributeDrift } from "../../src/engine/sync/attribution.js";
import { indexAuditsByTarget } from "../../src/engine/sync/audit-match.js";
import { parseDirectoryAudits, type DirectoryAudit } from "../../src/engine/sync/audit-entry.js";
import { changesWithEntries } from "../../src/engine/sync/recorded-at.js";
import type { ChangedObject } from "../../src/engine/sync/types.js";

const BOT = { name: "entra-gitops[bot]", email: "bot@noreply.entra-gitops" };
const NOW = new Date("2026-05-01T12:00:00Z");

function audit(id: string, time: string, target: { id: string; displayName?: string }, result = "success"): DirectoryAudit {
  const raw = {
    id,
    category: "GroupManagement",
    correlationId: `corr-${id}`,
    result,
    activityDisplayName: "Update group",
    activityDateTime: `2026-05-01T${time}Z`,
    operationType: "Update",
    initiatedBy: { user: { id: "u-alice", displayName: "Alice", userPrincipalName: "alice@contoso.com" }, app: null },
    targetResources: [{ ...target, type: "Group", modifiedProperties: [] }],
  };
  const { audits } = parseDirectoryAudits([JSON.parse(JSON.stringify(raw))]);
  if (!audits[0]) throw new Error("fixture audit did not parse");
  return audits[0];
}

function changed(kind: Kind, name: string, id: string, recordedAt?: Date): ChangedObject {
  const doc: EntraDocument = { kind, name, id, spec: { displayName: name } };
  const file = { path: `tenant-config/${kind}/${name}.yaml`, content: `name: ${name}\n` };
  return { address: address(kind, name), kind, id, change: "modified", document: doc, previous: doc, file, ...(recordedAt ? { recordedAt } : {}) };
}

describe("changesWithEntries (whose file history sync walks for git's record)", () => {
  const audits = [audit("a1", "10:00:00", { id: "g-1", displayName: "finance" }), audit("a2", "10:05:00", { id: "g-3", displayName: "ops" }, "failure")];
  const index = indexAuditsByTarget(audits);

  it("keeps a change some entry matches, leaves out one no entry matches, and none without entries", () => {
    const finance = changed("group", "finance", "g-1");
    const sales = changed("group", "sales", "g-2");
    expect(changesWithEntries([finance, sales], audits, index)).toEqual([finance]);
    expect(changesWithEntries([finance, sales], [], indexAuditsByTarget([]))).toEqual([]);
  });

  it("a change left out is attributed alike whatever its record (absent, older or newer than every entry)", () => {
    // Only a failed entry matches ops: the attribution drops failures, so its record cannot matter either,
    // but the check keeps it (it looks at the entries as read, a superset of the attribution's).
    expect(changesWithEntries([changed("group", "ops", "g-3")], audits, index)).toHaveLength(1);
    const outcome = (recordedAt?: Date) =>
      attributeDrift({ changes: [changed("group", "finance", "g-1"), changed("group", "sales", "g-2", recordedAt)], audits, failedKinds: [], bot: BOT, now: NOW });
    const absent = outcome();
    for (const at of [new Date("2026-04-01T00:00:00Z"), new Date("2026-05-01T10:00:00Z"), new Date("2026-05-01T11:59:59Z")]) {
      // The outcome carries the change objects: compared without the record itself.
      expect(JSON.stringify(outcome(at), (key, value: unknown) => (key === "recordedAt" ? undefined : value))).toBe(JSON.stringify(absent));
    }
    // While the matched change's record does matter: an entry at or before it no longer explains the change.
    const recordedAfter = attributeDrift({ changes: [changed("group", "finance", "g-1", new Date("2026-05-01T10:00:00Z"))], audits, failedKinds: [], bot: BOT, now: NOW });
    const fresh = attributeDrift({ changes: [changed("group", "finance", "g-1")], audits, failedKinds: [], bot: BOT, now: NOW });
    expect(JSON.stringify(recordedAfter.commits.map((c) => c.author))).not.toBe(JSON.stringify(fresh.commits.map((c) => c.author)));
  });
});
