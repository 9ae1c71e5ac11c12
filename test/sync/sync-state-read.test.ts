import { describe, expect, it } from "vitest";
import { formatSyncState, parseSyncState } from "../../src/state/sync-state.js";

describe("sync state: where the last read stopped", () => {
  it("round-trips the read state beside pending changes, links sorted by kind", () => {
    const state = {
      pending: new Map([["group/a", { hash: "deleted", firstSeen: "2026-12-06T09:01:00.000Z", since: "2026-12-06T08:00:00.000Z" }]]),
      read: {
        at: "2026-12-06T10:00:00.000Z",
        fullAt: "2026-12-05T10:00:00.000Z",
        deltaLinks: new Map([
          ["user", "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=u1"],
          ["group", "https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=g1"],
        ] as const),
      },
    };
    const text = formatSyncState(state, "prod");
    expect(text.indexOf("group: https")).toBeLessThan(text.indexOf("user: https"));
    const parsed = parseSyncState(text, "sync.yaml");
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.state.read?.at).toBe(state.read.at);
    expect(parsed.state.read?.fullAt).toBe(state.read.fullAt);
    expect([...(parsed.state.read?.deltaLinks ?? [])]).toEqual([
      ["group", "https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=g1"],
      ["user", "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=u1"],
    ]);
    expect(parsed.state.pending.get("group/a")).toEqual(state.pending.get("group/a"));
  });

  it("reads a file with pending changes only, as written before delta links existed", () => {
    const parsed = parseSyncState(["pending:", "  group/x:", "    hash: deleted", "    firstSeen: 2026-12-06T09:00:00Z", "    since: 2026-12-06T08:00:00Z", ""].join("\n"), "sync.yaml");
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.state.read).toBeUndefined();
    expect(parsed.state.pending.size).toBe(1);
  });

  it("names the file, line and field of a bad read state, and keeps none of it", () => {
    const text = ["pending: {}", "read:", "  at: yesterday", "  fullAt: 2026-12-06T08:00:00Z", "  deltaLinks:", "    group: not a url", "    gadget: https://x/delta", "  extra: 1", ""].join("\n");
    const { diagnostics, state } = parseSyncState(text, "state/sync.yaml");
    expect(state.read).toBeUndefined();
    expect(diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: "state/sync.yaml", line: 3, path: "read.at", message: "at must be an ISO 8601 time" }),
        expect.objectContaining({ file: "state/sync.yaml", line: 6, path: "read.deltaLinks.group", message: "a deltaLink must be an https URL" }),
        expect.objectContaining({ file: "state/sync.yaml", line: 7, path: "read.deltaLinks.gadget", message: '"gadget" is not a kind' }),
        expect.objectContaining({ file: "state/sync.yaml", line: 8, path: "read.extra" }),
      ]),
    );
  });
});
