import { describe, expect, it } from "vitest";
import { attributeDrift } from "../../src/engine/sync/attribution.js";
import { holdBack } from "../../src/engine/sync/hold-back.js";
import type { DirectoryAudit } from "../../src/engine/sync/audit-entry.js";
import type { ChangedObject } from "../../src/engine/sync/types.js";
import { address } from "../../src/model/kind.js";
import { contentHash, emptySyncState, formatSyncState, parseSyncState } from "../../src/state/sync-state.js";

const bot = { name: "entra-gitops", email: "entra-gitops@users.noreply.github.com" };
const now = new Date("2026-12-06T10:00:00Z");
const since = new Date("2026-12-06T09:00:00Z");

function change(name: string, id: string, content: string): ChangedObject {
  return {
    address: address("group", name),
    kind: "group",
    id,
    change: "modified",
    document: { kind: "group", name, spec: { displayName: name, description: content } },
    previous: { kind: "group", name, spec: { displayName: name } },
    file: { path: `tenant-config/group/${name}.yaml`, content },
  };
}

function audit(id: string, target: string, at: string, upn: string): DirectoryAudit {
  return { id, activityDateTime: at, activityDisplayName: "Update group", result: "success", initiatedBy: { user: { id: upn, userPrincipalName: upn } }, targetResources: [{ id: target, modifiedProperties: [] }] };
}

describe("holdBack", () => {
  const early = change("early", "g1", "early text");
  const late = change("late", "g2", "late text");
  const unexplained = change("unexplained", "g3", "no entry");

  it("holds an unexplained change alone (attributed changes of other objects, earlier or later, are not held); records when it was first seen", () => {
    const attribution = attributeDrift({ changes: [early, late, unexplained], audits: [audit("a1", "g1", "2026-12-06T08:30:00Z", "alice@x"), audit("a2", "g2", "2026-12-06T09:30:00Z", "bob@x")], failedKinds: [], bot, now });
    const result = holdBack({ attribution, state: emptySyncState(), graceMs: 15 * 60_000, now, since });
    expect(result.held).toEqual([{ address: "group/unexplained", reason: "noAuditYet", waitedMs: 0 }]);
    expect(result.expired).toEqual([]);
    expect([...result.state.pending]).toEqual([["group/unexplained", { hash: contentHash("no entry"), firstSeen: now.toISOString(), since: since.toISOString() }]]);
  });

  it("counts the wait from the first sight of the same content; another edit restarts it; past the grace period it expires", () => {
    const attribution = attributeDrift({ changes: [unexplained], audits: [], failedKinds: [], bot, now });
    const seen = { hash: contentHash("no entry"), firstSeen: "2026-12-06T09:50:00Z", since: "2026-12-06T08:00:00Z" };
    const waiting = holdBack({ attribution, state: { pending: new Map([["group/unexplained", seen]]) }, graceMs: 15 * 60_000, now, since });
    expect(waiting.held).toEqual([{ address: "group/unexplained", reason: "noAuditYet", waitedMs: 10 * 60_000 }]);
    expect(waiting.state.pending.get("group/unexplained")).toEqual(seen);
    const edited = holdBack({ attribution, state: { pending: new Map([["group/unexplained", { ...seen, hash: contentHash("older text"), firstSeen: "2026-12-06T09:00:00Z" }]]) }, graceMs: 15 * 60_000, now, since });
    expect(edited.held[0]?.waitedMs).toBe(0);
    const expired = holdBack({ attribution, state: { pending: new Map([["group/unexplained", { ...seen, firstSeen: "2026-12-06T09:40:00Z" }]]) }, graceMs: 15 * 60_000, now, since });
    expect(expired.held).toEqual([]);
    expect(expired.expired).toEqual(["group/unexplained"]);
    expect(expired.state.pending.size).toBe(0);
    const message = attributeDrift({ changes: [unexplained], audits: [], failedKinds: [], bot, now, graceMinutes: 15 }).commits[0]?.message ?? "";
    expect(message.split("\n")[0]).toBe("Drift with no audit record after 15 min: update group/unexplained");
    expect(message).toContain("within 15 min of a sync first seeing");
  });

  it("an object changed again by someone whose entry arrived waits for the entry of the change seen first, until the grace period from that sighting", () => {
    // A sync saw group/early changed at 09:50 with no entry; bob changed it again at 09:55.
    const seen = { hash: contentHash("older text"), firstSeen: "2026-12-06T09:50:00Z", since: "2026-12-06T08:00:00Z" };
    const state = { pending: new Map([["group/early", seen]]) };
    const bob = audit("b1", "g1", "2026-12-06T09:55:00Z", "bob@x");
    const onlyBob = attributeDrift({ changes: [early], audits: [bob], failedKinds: [], bot, now });
    const waiting = holdBack({ attribution: onlyBob, state, graceMs: 15 * 60_000, now, since });
    expect(waiting.held).toEqual([{ address: "group/early", reason: "earlierChangeUnaudited", waitedMs: 10 * 60_000 }]);
    expect(waiting.state.pending.get("group/early")).toEqual(seen);
    // Alice's entry of the first change arrives: both are committed, as bob's (the tenant holds his state), listing hers.
    const both = attributeDrift({ changes: [early], audits: [bob, audit("a1", "g1", "2026-12-06T09:45:00Z", "alice@x")], failedKinds: [], bot, now });
    expect(holdBack({ attribution: both, state, graceMs: 15 * 60_000, now, since })).toEqual({ held: [], expired: [], state: { pending: new Map() } });
    expect(both.commits[0]?.author.email).toBe("bob@x");
    expect(both.commits[0]?.message).toContain("(by alice@x <alice@x>)");
    // Past the grace period from the first sighting: committed as bob's without hers.
    const later = new Date("2026-12-06T10:05:00Z");
    expect(holdBack({ attribution: onlyBob, state, graceMs: 15 * 60_000, now: later, since }).held).toEqual([]);
  });

  it("an entry at or before the time git recorded the object does not explain its change", () => {
    const entry = audit("a1", "g1", "2026-12-06T08:30:00.750Z", "alice@x");
    // (sync passes the drift commit's second as its last millisecond: recorded-at.ts)
    const explained = (recordedAt: string): boolean => attributeDrift({ changes: [{ ...early, recordedAt: new Date(recordedAt) }], audits: [entry], failedKinds: [], bot, now }).commits[0]?.actor !== undefined;
    expect(explained("2026-12-06T08:30:00.999Z")).toBe(false);
    expect(explained("2026-12-06T08:30:00.500Z")).toBe(true);
  });

  it("holds nothing with a grace period of 0, nor changes that are the engine's canonical form", () => {
    const attribution = attributeDrift({ changes: [unexplained], audits: [], failedKinds: [], bot, now });
    expect(holdBack({ attribution, state: emptySyncState(), graceMs: 0, now, since }).expired).toEqual(["group/unexplained"]);
    const canonical = holdBack({ attribution, state: emptySyncState(), graceMs: 60_000, now, since, canonicalOnly: () => true });
    expect(canonical).toEqual({ held: [], expired: [], state: { pending: new Map() } });
  });
});

describe("sync state file", () => {
  it("round-trips, sorted by address", () => {
    const state = { pending: new Map([["group/b", { hash: "sha256:bb", firstSeen: "2026-12-06T09:00:00.000Z", since: "2026-12-06T08:00:00.000Z" }], ["group/a", { hash: "deleted", firstSeen: "2026-12-06T09:01:00.000Z", since: "2026-12-06T08:00:00.000Z" }]]) };
    const text = formatSyncState(state, "prod");
    expect(text.indexOf("group/a")).toBeLessThan(text.indexOf("group/b"));
    expect(text).toContain('environment "prod"');
    const parsed = parseSyncState(text, "sync.yaml");
    expect(parsed.diagnostics).toEqual([]);
    expect([...parsed.state.pending.keys()]).toEqual(["group/a", "group/b"]);
    expect(parsed.state.pending.get("group/b")).toEqual(state.pending.get("group/b"));
  });

  it("names the file, line and field of each problem", () => {
    const { diagnostics, state } = parseSyncState(["pending:", "  group/x:", "    hash: sha256:1", "    firstSeen: yesterday", "    since: 2026-12-06T08:00:00Z", "  nokind:", "    hash: a", "other: 1", ""].join("\n"), "state/sync.yaml");
    expect(state.pending.size).toBe(0);
    expect(diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: "state/sync.yaml", line: 4, path: "pending.group/x.firstSeen", message: "firstSeen must be an ISO 8601 time" }),
        expect.objectContaining({ file: "state/sync.yaml", line: 6, path: "pending.nokind" }),
        expect.objectContaining({ file: "state/sync.yaml", line: 8, path: "other" }),
      ]),
    );
  });
});
