import { describe, expect, it } from "vitest";
import { matchActivities } from "../../src/engine/sync/audit-match.js";
import { engineIdentity, isOwnWrite } from "../../src/engine/sync/own-writes.js";
import type { DirectoryAudit } from "../../src/engine/sync/audit-entry.js";
import type { ChangedObject } from "../../src/engine/sync/types.js";
import { address } from "../../src/model/kind.js";

const ENGINE_APP = "11111111-2222-3333-4444-555555555555";
const engine = engineIdentity({ appId: ENGINE_APP, type: "app" });

const change: ChangedObject = {
  address: address("group", "marketing"),
  kind: "group",
  id: "g1",
  change: "modified",
  document: { kind: "group", name: "marketing", spec: { displayName: "Marketing", description: "Marketing (alice)", securityEnabled: true } },
  previous: { kind: "group", name: "marketing", spec: { displayName: "Marketing", description: "Marketing and events", securityEnabled: true, members: ["user:alice@contoso.com"] } },
  file: { path: "tenant-config/group/marketing.yaml", content: "…" },
};

function entry(id: string, at: string, by: DirectoryAudit["initiatedBy"], properties: { displayName: string; newValue: string }[], activity = "Update group"): DirectoryAudit {
  return { id, activityDateTime: at, activityDisplayName: activity, result: "success", initiatedBy: by, targetResources: [{ id: "g1", modifiedProperties: properties }] };
}

const byEngine = { app: { appId: ENGINE_APP, displayName: "entra-gitops" } };
const byAlice = { user: { id: "u1", userPrincipalName: "alice@contoso.com" } };

describe("the engine's own writes", () => {
  it("an entry of the engine's app writing the committed values is its own: it explains no change; a person's later entry does", () => {
    const apply = entry("e1", "2026-12-06T10:00:00Z", byEngine, [{ displayName: "Description", newValue: '["Marketing and events"]' }]);
    expect(isOwnWrite(apply, change, engine)).toBe(true);
    expect(matchActivities(change, [apply], undefined, engine)).toEqual([]);
    // Without the engine's identity it would name the app.
    expect(matchActivities(change, [apply]).map((a) => a.actor.key)).toEqual([`app:${ENGINE_APP}`]);
    const alice = entry("a1", "2026-12-06T10:05:00Z", byAlice, [{ displayName: "Description", newValue: '["Marketing (alice)"]' }]);
    expect(matchActivities(change, [apply, alice], undefined, engine).map((a) => a.actor.key)).toEqual(["user:u1"]);
  });

  it("entries before the engine's latest own write explain a state it has since written over", () => {
    const alice = entry("a0", "2026-12-06T09:55:00Z", byAlice, [{ displayName: "Description", newValue: '["Marketing (alice)"]' }]);
    const revert = entry("e0", "2026-12-06T10:00:00Z", byEngine, [{ displayName: "Description", newValue: '["Marketing and events"]' }]);
    expect(matchActivities(change, [alice, revert], undefined, engine)).toEqual([]);
    const bob = entry("b1", "2026-12-06T10:02:00Z", { user: { id: "u2", userPrincipalName: "bob@contoso.com" } }, []);
    expect(matchActivities(change, [alice, revert, bob], undefined, engine).map((a) => a.audit.id)).toEqual(["b1"]);
  });

  it("the engine's app writing values git does not hold is drift by that app (another script signed in as it)", () => {
    const script = entry("e2", "2026-12-06T10:00:00Z", byEngine, [{ displayName: "Description", newValue: '["Marketing (alice)"]' }]);
    expect(isOwnWrite(script, change, engine)).toBe(false);
    // A delete, an entry with nothing to compare (references only), and another app's write are never the engine's own.
    expect(isOwnWrite(entry("e3", "2026-12-06T10:00:00Z", byEngine, [], "Delete group"), { ...change, change: "deleted", document: null }, engine)).toBe(false);
    expect(isOwnWrite(entry("e4", "2026-12-06T10:00:00Z", byEngine, [{ displayName: "Members", newValue: '["u1"]' }]), change, engine)).toBe(false);
    expect(isOwnWrite(entry("e5", "2026-12-06T10:00:00Z", { app: { appId: "99999999-2222-3333-4444-555555555555" } }, [{ displayName: "Description", newValue: '["Marketing and events"]' }]), change, engine)).toBe(false);
    // A creation of an object git does not hold.
    expect(isOwnWrite(entry("e6", "2026-12-06T10:00:00Z", byEngine, [{ displayName: "DisplayName", newValue: '["Marketing"]' }], "Add group"), { ...change, change: "added", previous: null }, engine)).toBe(false);
  });

  it("reads Graph's one-property-per-object style too, and every value must agree", () => {
    const whole = entry("e7", "2026-12-06T10:00:00Z", byEngine, [{ displayName: "Group", newValue: JSON.stringify({ displayName: "Marketing", description: "Marketing and events", securityEnabled: true }) }]);
    expect(isOwnWrite(whole, change, engine)).toBe(true);
    const mixed = entry("e8", "2026-12-06T10:00:00Z", byEngine, [{ displayName: "Description", newValue: '["Marketing and events"]' }, { displayName: "SecurityEnabled", newValue: "[false]" }]);
    expect(isOwnWrite(mixed, change, engine)).toBe(false);
  });

  it("the engine's identity: an app-only token's app, a delegated token's user (not its client app), and the configured identities", () => {
    const delegated = engineIdentity({ appId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", userPrincipalName: "Ops@Contoso.com", objectId: "U9", type: "user" }, ["AAAAAAAA-2222-3333-4444-555555555555", "deploy@contoso.com"]);
    expect([...delegated.appIds]).toEqual(["aaaaaaaa-2222-3333-4444-555555555555"]);
    expect([...delegated.users].sort()).toEqual(["aaaaaaaa-2222-3333-4444-555555555555", "deploy@contoso.com", "ops@contoso.com", "u9"]);
    const asOps = entry("e9", "2026-12-06T10:00:00Z", { user: { id: "u9", userPrincipalName: "ops@contoso.com" } }, [{ displayName: "Description", newValue: '["Marketing and events"]' }]);
    expect(isOwnWrite(asOps, change, delegated)).toBe(true);
    expect(isOwnWrite(asOps, change, engine)).toBe(false);
  });
});
