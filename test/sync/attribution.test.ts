import { describe, expect, it } from "vitest";
import type { EntraDocument } from "../../src/model/document.js";
import { address, type Kind } from "../../src/model/kind.js";
import { attributeDrift } from "../../src/engine/sync/attribution.js";
import { parseDirectoryAudits, type DirectoryAudit } from "../../src/engine/sync/audit-entry.js";
import type { ChangedObject } from "../../src/engine/sync/types.js";

const BOT = { name: "entra-gitops[bot]", email: "bot@noreply.entra-gitops" };
const NOW = new Date("2026-05-01T12:00:00Z");
const ALICE = { id: "u-alice", displayName: "Alice Admin", userPrincipalName: "alice@contoso.com", ipAddress: null };
const BOB = { id: "u-bob", displayName: "Bob Ops", userPrincipalName: "bob@contoso.com" };
const PIPELINE = { appId: "11111111-2222-3333-4444-555555555555", displayName: "Provisioning pipeline", servicePrincipalId: "sp-1" };

let seq = 0;
function audit(
  time: string,
  activity: string,
  target: { id: string; displayName?: string },
  by: { user?: object; app?: object },
  extra: Record<string, unknown> = {},
): DirectoryAudit {
  seq += 1;
  const raw = {
    id: `audit-${String(seq).padStart(3, "0")}`,
    category: "Policy",
    correlationId: `corr-${seq}`,
    result: "success",
    activityDisplayName: activity,
    activityDateTime: `2026-05-01T${time}Z`,
    operationType: activity.split(" ")[0],
    initiatedBy: { user: by.user ?? null, app: by.app ?? null },
    targetResources: [{ ...target, type: "Policy", modifiedProperties: [{ displayName: "State", oldValue: "\"a\"", newValue: "\"b\"" }] }],
    ...extra,
  };
  const { audits } = parseDirectoryAudits([JSON.parse(JSON.stringify(raw))]);
  if (!audits[0]) throw new Error("fixture audit did not parse");
  return audits[0];
}

function changed(kind: Kind, name: string, change: ChangedObject["change"], id: string, displayName = name): ChangedObject {
  const doc: EntraDocument = { kind, name, id, spec: { displayName } };
  return {
    address: address(kind, name),
    kind,
    id,
    change,
    document: change === "deleted" ? null : doc,
    previous: change === "added" ? null : doc,
    file: { path: `tenant-config/${kind}/${name}.yaml`, content: change === "deleted" ? null : `name: ${name}\n` },
  };
}

describe("attributeDrift", () => {
  it("makes one commit per actor, authored by the actor at the burst's latest time", () => {
    const changes = [
      changed("conditionalAccessPolicy", "require-mfa", "modified", "ca-1"),
      changed("namedLocation", "old-office", "deleted", "nl-1"),
      changed("group", "finance", "added", "g-1"),
    ];
    const audits = [
      audit("10:05:00", "Delete named location", { id: "nl-1" }, { user: ALICE }),
      audit("10:00:00", "Update conditional access policy", { id: "ca-1" }, { user: ALICE }),
      audit("10:30:00", "Add group", { id: "g-1" }, { app: PIPELINE }),
      audit("10:31:00", "Add group", { id: "g-unrelated" }, { app: PIPELINE }),
    ];
    const result = attributeDrift({ changes, audits, failedKinds: [], bot: BOT, now: NOW });
    expect(result.commits).toHaveLength(2);
    const [alice, app] = result.commits;
    expect(alice?.author).toEqual({ name: "Alice Admin", email: "alice@contoso.com", date: new Date("2026-05-01T10:05:00Z") });
    expect(alice?.committer).toEqual(BOT);
    expect(alice?.message.split("\n")[0]).toBe(
      "alice@contoso.com: update conditionalAccessPolicy/require-mfa and 1 more",
    );
    expect(alice?.message.split("\n")[0]?.length).toBeLessThanOrEqual(72);
    expect(alice?.files).toEqual([
      { path: "tenant-config/conditionalAccessPolicy/require-mfa.yaml", content: "name: require-mfa\n" },
      { path: "tenant-config/namedLocation/old-office.yaml", content: null },
    ]);
    expect(alice?.message).toContain("delete namedLocation/old-office (id nl-1)\n  2026-05-01T10:05:00Z  Delete named location  correlation corr-");
    expect(alice?.message).toContain("    properties: State");
    expect(app?.author).toEqual({ name: "Provisioning pipeline", email: `${PIPELINE.appId}@noreply.entra-gitops`, date: new Date("2026-05-01T10:30:00Z") });
    expect(app?.message.split("\n")[0]).toBe("Provisioning pipeline: add group/finance");
    expect(result.unmatchedAudits.map((a) => a.targetResources[0]?.id)).toEqual(["g-unrelated"]);
  });

  it("splits one actor's activity into bursts by the gap and orders commits by time", () => {
    const changes = [
      changed("conditionalAccessPolicy", "a", "modified", "ca-a"),
      changed("conditionalAccessPolicy", "b", "modified", "ca-b"),
      changed("conditionalAccessPolicy", "c", "modified", "ca-c"),
    ];
    const audits = [
      audit("09:00:00", "Update conditional access policy", { id: "ca-a" }, { user: BOB }),
      audit("09:09:00", "Update conditional access policy", { id: "ca-b" }, { user: BOB }),
      audit("09:30:00", "Update conditional access policy", { id: "ca-c" }, { user: BOB }),
    ];
    const result = attributeDrift({ changes, audits, failedKinds: [], bot: BOT, now: NOW, burstGapMs: 10 * 60_000 });
    expect(result.commits.map((c) => [c.author.date?.toISOString(), c.files.map((f) => f.path.split("/")[2])])).toEqual([
      ["2026-05-01T09:09:00.000Z", ["a.yaml", "b.yaml"]],
      ["2026-05-01T09:30:00.000Z", ["c.yaml"]],
    ]);
    const oneBurst = attributeDrift({ changes, audits, failedKinds: [], bot: BOT, now: NOW, burstGapMs: 30 * 60_000 });
    expect(oneBurst.commits).toHaveLength(1);
  });

  it("puts an object changed by two actors in the last actor's commit and lists both activities", () => {
    const changes = [changed("conditionalAccessPolicy", "a", "modified", "ca-a")];
    const audits = [
      audit("09:00:00", "Update conditional access policy", { id: "ca-a" }, { user: ALICE }),
      audit("11:00:00", "Update conditional access policy", { id: "ca-a" }, { user: BOB }),
    ];
    const [commit, ...rest] = attributeDrift({ changes, audits, failedKinds: [], bot: BOT, now: NOW }).commits;
    expect(rest).toEqual([]);
    expect(commit?.author.email).toBe("bob@contoso.com");
    expect(commit?.message).toContain("Update conditional access policy  correlation corr-");
    expect(commit?.message).toContain("(by Alice Admin <alice@contoso.com>)");
  });

  it("matches deletes by display name when ids differ, and ignores failed operations", () => {
    const changes = [changed("namedLocation", "branch", "deleted", "id-from-other-tenant", "Branch office")];
    const audits = [
      audit("08:00:00", "Delete named location", { id: "nl-live", displayName: "Branch office" }, { user: ALICE }, { result: "failure" }),
      audit("08:10:00", "Delete group", { id: "g-9", displayName: "Branch office" }, { user: BOB }),
      audit("08:20:00", "Delete named location", { id: "nl-live", displayName: "Branch office" }, { user: ALICE }),
    ];
    const result = attributeDrift({ changes, audits, failedKinds: [], bot: BOT, now: NOW });
    expect(result.commits).toHaveLength(1);
    expect(result.commits[0]?.author).toMatchObject({ email: "alice@contoso.com", date: new Date("2026-05-01T08:20:00Z") });
    expect(result.commits[0]?.message).toContain("[matched by display name]");
  });

  it("matches a role assignment by its principal and role targets", () => {
    const assignment: ChangedObject = {
      address: address("roleAssignment", "global-administrator-carol"),
      kind: "roleAssignment",
      id: "ra-1",
      change: "added",
      document: {
        kind: "roleAssignment",
        name: "global-administrator-carol",
        id: "ra-1",
        spec: { principalId: "user:carol@contoso.com", roleDefinitionId: "role:Global Administrator", directoryScopeId: "/" },
      },
      previous: null,
      file: { path: "tenant-config/roleAssignment/global-administrator-carol.yaml", content: "x\n" },
    };
    const entry = audit("09:00:00", "Add member to role", { id: "u-carol" }, { user: ALICE });
    entry.targetResources = [
      { id: "u-carol", userPrincipalName: "carol@contoso.com", type: "User", modifiedProperties: [] },
      { id: "62e90394-69f5-4237-9190-012177145e10", displayName: "Global Administrator", type: "Role", modifiedProperties: [] },
    ];
    const other = audit("09:01:00", "Add member to role", { id: "u-dave" }, { user: BOB });
    other.targetResources = [
      { id: "u-dave", userPrincipalName: "dave@contoso.com", type: "User", modifiedProperties: [] },
      { id: "r", displayName: "Global Administrator", type: "Role", modifiedProperties: [] },
    ];
    const { commits } = attributeDrift({ changes: [assignment], audits: [entry, other], failedKinds: [], bot: BOT, now: NOW });
    expect(commits.map((c) => c.author.email)).toEqual(["alice@contoso.com"]);
    expect(commits[0]?.message).toContain("[matched by principal and role]");
  });

  it("matches singletons by activity when the audit target carries no usable id", () => {
    const policy: ChangedObject = { ...changed("authorizationPolicy", "default", "modified", "x"), id: undefined };
    delete policy.id;
    const audits = [
      audit("09:00:00", "Update authorization policy", { id: "" }, { user: BOB }),
      audit("09:01:00", "Update conditional access policy", { id: "ca-9" }, { user: ALICE }),
    ];
    const { commits } = attributeDrift({ changes: [policy], audits, failedKinds: [], bot: BOT, now: NOW });
    expect(commits.map((c) => c.author.email)).toEqual(["bob@contoso.com"]);
    expect(commits[0]?.message).toContain("[matched by activity]");
  });

  it("collects changes with no audit record into one bot commit dated now, after the others", () => {
    const changes = [
      changed("group", "x", "modified", "g-x"),
      changed("namedLocation", "y", "added", "nl-y"),
      changed("conditionalAccessPolicy", "z", "modified", "ca-z"),
    ];
    const audits = [audit("11:00:00", "Update conditional access policy", { id: "ca-z" }, { user: ALICE })];
    const { commits } = attributeDrift({ changes, audits, failedKinds: [], bot: BOT, now: NOW });
    expect(commits.map((c) => c.author.name)).toEqual(["Alice Admin", "entra-gitops[bot]"]);
    const last = commits[1];
    expect(last?.author).toEqual({ ...BOT, date: NOW });
    expect(last?.actor).toBeUndefined();
    expect(last?.message.split("\n")[0]).toBe("Drift with no audit record: update group/x, add namedLocation/y");
    expect(last?.message).toContain("No directory audit entry");
    expect(last?.files.map((f) => f.path)).toEqual(["tenant-config/group/x.yaml", "tenant-config/namedLocation/y.yaml"]);
  });

  it("never commits deletions of a kind that failed to export, and reports them", () => {
    const changes = [
      changed("group", "gone-1", "deleted", "g-1"),
      changed("group", "new", "added", "g-2"),
      changed("namedLocation", "gone-2", "deleted", "nl-2"),
    ];
    const result = attributeDrift({ changes, audits: [], failedKinds: ["group"], bot: BOT, now: NOW });
    expect(result.withheldDeletions).toEqual([{ address: "group/gone-1", kind: "group" }]);
    const paths = result.commits.flatMap((c) => c.files.map((f) => f.path));
    expect(paths).toEqual(["tenant-config/group/new.yaml", "tenant-config/namedLocation/gone-2.yaml"]);
  });

  it("is deterministic whatever the input order, with subjects under 72 characters", () => {
    const changes = Array.from({ length: 6 }, (_, i) => changed("conditionalAccessPolicy", `policy-with-a-long-name-${i}`, "modified", `ca-${i}`));
    const audits = changes.map((c, i) => audit(`07:0${i}:00`, "Update conditional access policy", { id: c.id ?? "" }, { app: PIPELINE }));
    const a = attributeDrift({ changes, audits, failedKinds: [], bot: BOT, now: NOW });
    const b = attributeDrift({ changes: [...changes].reverse(), audits: [...audits].reverse(), failedKinds: [], bot: BOT, now: NOW });
    expect(b.commits.map((c) => c.message)).toEqual(a.commits.map((c) => c.message));
    expect(a.commits[0]?.message.split("\n")[0]).toBe("Provisioning pipeline: update 6 objects");
  });
});

describe("parseDirectoryAudits", () => {
  it("keeps Graph's shape, drops all-null initiators and rejects entries without time", () => {
    const { audits, rejected } = parseDirectoryAudits([
      {
        id: "a1",
        activityDateTime: "2026-05-01T10:00:00Z",
        activityDisplayName: "Update group",
        initiatedBy: { user: { id: null, displayName: null, userPrincipalName: null }, app: { appId: "app-1", displayName: "Sync" } },
        targetResources: [{ id: "g1", displayName: "Finance", type: "Group", modifiedProperties: [] }],
      },
      { id: "a2", activityDisplayName: "Update group", initiatedBy: {}, targetResources: [] },
    ]);
    expect(rejected).toBe(1);
    expect(audits[0]?.initiatedBy).toEqual({ app: { appId: "app-1", displayName: "Sync" } });
    expect(audits[0]?.targetResources[0]).toEqual({ id: "g1", displayName: "Finance", type: "Group", modifiedProperties: [] });
  });
});
