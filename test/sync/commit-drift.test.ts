import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openRepository } from "../../src/git/repository.js";
import { attributeDrift } from "../../src/engine/sync/attribution.js";
import { parseDirectoryAudits } from "../../src/engine/sync/audit-entry.js";
import { commitDrift } from "../../src/engine/sync/commit-drift.js";
import type { ChangedObject } from "../../src/engine/sync/types.js";
import { address } from "../../src/model/kind.js";
import { BOT, tempRepo, type TempRepo } from "../git/git-fixture.js";

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo();
});
afterEach(() => repo.cleanup());

const CA = "tenant-config/conditionalAccessPolicy/require-mfa.yaml";
const NL = "tenant-config/namedLocation/hq.yaml";
const GR = "tenant-config/group/finance.yaml";

describe("drift attribution recorded in git", () => {
  it("writes one commit per actor with the audit author, date and the bot as committer", async () => {
    repo.commit("export", { [CA]: "state: enabled\n", [NL]: "hq\n", [GR]: "finance\n" });
    const changes: ChangedObject[] = [
      { address: address("conditionalAccessPolicy", "require-mfa"), kind: "conditionalAccessPolicy", id: "ca-1", change: "modified", document: null, file: { path: CA, content: "state: disabled\n" } },
      { address: address("namedLocation", "hq"), kind: "namedLocation", id: "nl-1", change: "deleted", document: null, file: { path: NL, content: null } },
      { address: address("group", "finance"), kind: "group", id: "g-1", change: "modified", document: null, file: { path: GR, content: "finance v2\n" } },
    ];
    const { audits } = parseDirectoryAudits([
      {
        id: "e1",
        activityDateTime: "2026-05-01T10:00:00Z",
        activityDisplayName: "Update conditional access policy",
        correlationId: "c-1",
        result: "success",
        initiatedBy: { user: { id: "u1", displayName: "Alice Admin", userPrincipalName: "alice@contoso.com" } },
        targetResources: [{ id: "ca-1", displayName: "Require MFA", type: "Policy", modifiedProperties: [] }],
      },
      {
        id: "e2",
        activityDateTime: "2026-05-01T10:20:00Z",
        activityDisplayName: "Delete named location",
        correlationId: "c-2",
        result: "success",
        initiatedBy: { app: { appId: "app-9", displayName: "Terraform" } },
        targetResources: [{ id: "nl-1", displayName: "HQ", type: "Policy", modifiedProperties: [] }],
      },
    ]);
    const attribution = attributeDrift({ changes, audits, failedKinds: [], bot: BOT, now: new Date("2026-05-01T11:00:00Z") });
    const r = await openRepository(repo.dir);
    const made = await commitDrift(r, attribution.commits);
    expect(made).toHaveLength(3);
    const log = repo.git("log", "-3", "--reverse", "--format=%an|%ae|%aI|%cn|%ce|%s");
    expect(log.split("\n")).toEqual([
      "Alice Admin|alice@contoso.com|2026-05-01T10:00:00+00:00|entra-gitops[bot]|bot@noreply.entra-gitops|alice@contoso.com: update conditionalAccessPolicy/require-mfa",
      "Terraform|app-9@noreply.entra-gitops|2026-05-01T10:20:00+00:00|entra-gitops[bot]|bot@noreply.entra-gitops|Terraform: delete namedLocation/hq",
      "entra-gitops[bot]|bot@noreply.entra-gitops|2026-05-01T11:00:00+00:00|entra-gitops[bot]|bot@noreply.entra-gitops|Drift with no audit record: update group/finance",
    ]);
    expect(repo.git("show", "--name-only", "--format=", "HEAD~2")).toBe(CA);
    expect(repo.git("status", "--porcelain")).toBe("");
    expect(repo.git("log", "-1", "--format=%b", "HEAD~2")).toContain("Initiated-By: user u1 alice@contoso.com");
  });
});
