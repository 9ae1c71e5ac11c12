import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { applyConverges, commit, demoRepo, editSpec, findByName, readDoc, writes } from "./apply-fixture.js";

/** The members of a group as UPNs (or `(displayName)` for non-users), read through every page. */
async function memberNames(client: Client, groupId: string): Promise<string[]> {
  const names: string[] = [];
  let page = (await client.api(`/groups/${groupId}/members`).top(999).get()) as { value: { userPrincipalName?: string; displayName?: string }[]; "@odata.nextLink"?: string };
  for (;;) {
    names.push(...page.value.map((o) => o.userPrincipalName ?? `(${o.displayName ?? "?"})`));
    const next = page["@odata.nextLink"];
    if (!next) break;
    page = (await client.api(next).get()) as typeof page;
  }
  return names.sort();
}

describe("apply: member changes with as few requests as Graph allows, failures reported per member", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  /** Every user of the demo tenant but the emergency and sync accounts, as references. */
  let everyone: string[];
  beforeAll(async () => {
    ({ started, repo, client } = await demoRepo());
    everyone = readDoc(repo, "group", "all-company").spec.members as string[];
  });
  afterAll(async () => started?.stop());

  it("adds 45 members in 3 PATCHes (members@odata.bind, 20 each) and removes them in 3 $batch requests", async () => {
    const pilot = readDoc(repo, "group", "sg-ca-pilot-users").spec.members as string[];
    const added = everyone.filter((m) => !pilot.includes(m)).slice(0, 45);
    expect(added).toHaveLength(45);
    editSpec(repo, "group", "sg-ca-pilot-users", (spec) => {
      spec.members = [...pilot, ...added];
    });
    commit(repo, "45 more pilot users");
    started.sandbox.clearRequests();
    const out = await applyConverges(repo);
    expect(out).toContain("updated group/sg-ca-pilot-users");
    const group = await findByName(client, "/groups", "sg-ca-pilot-users");
    const groupPath = `/v1.0/groups/${String(group.id)}`;
    const written = writes(started.sandbox.requests());
    // Only the members changed: no PATCH of the group's properties, no $ref POST per member.
    expect(written.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([`PATCH ${groupPath} 204`, `PATCH ${groupPath} 204`, `PATCH ${groupPath} 204`]);
    const upns = await memberNames(client, String(group.id));
    expect(upns).toHaveLength(48);
    for (const member of added) expect(upns).toContain(member.replace(/^user:/, ""));

    editSpec(repo, "group", "sg-ca-pilot-users", (spec) => {
      spec.members = pilot;
    });
    commit(repo, "back to the three pilot users");
    started.sandbox.clearRequests();
    await applyConverges(repo);
    const log = started.sandbox.requests();
    const removals = writes(log);
    expect(removals).toHaveLength(45);
    expect(removals.every((e) => e.kind === "batch-item" && e.method === "DELETE" && e.path.startsWith(`${groupPath}/members/`) && e.status === 204)).toBe(true);
    // 45 removals = 3 batches (20 + 20 + 5): the batches are the only requests that carried them.
    expect(new Set(removals.map((e) => e.batch?.seq)).size).toBe(3);
    expect(await memberNames(client, String(group.id))).toEqual(pilot.map((m) => m.replace(/^user:/, "")).sort());
  });

  it("reports each member Graph refuses inside a batch, writes the others, and converges once the document is fixed", async () => {
    const current = readDoc(repo, "group", "rag-helpdesk-sales").spec.members as string[];
    const users = everyone.filter((m) => !current.includes(m)).slice(0, 44);
    // A role-assignable group cannot hold groups: Graph refuses that one member.
    editSpec(repo, "group", "rag-helpdesk-sales", (spec) => {
      spec.members = [...current, ...users, "group:sg-ca-pilot-users"];
    });
    commit(repo, "helpdesk: 44 users and a nested group");
    started.sandbox.clearRequests();
    const applied = await repo.cli("apply", "--auto-approve");
    expect(applied.code, applied.stdout + applied.stderr).toBe(1);
    const output = applied.stdout + applied.stderr;
    expect(output).toContain("group/rag-helpdesk-sales");
    expect(output).toMatch(/1 member\/owner change\(s\) failed: adding members group:sg-ca-pilot-users: HTTP 400 \w+: Nesting of groups is not allowed for role-assignable groups\./);
    expect(output).not.toMatch(/adding members user:/);

    const group = await findByName(client, "/groups", "rag-helpdesk-sales");
    const upns = await memberNames(client, String(group.id));
    expect(upns).toHaveLength(45);
    expect(upns).not.toContain("(sg-ca-pilot-users)");
    // The refused PATCH (Graph adds all of a PATCH's members or none) was redone member by member.
    const log = started.sandbox.requests();
    const refusedItems = log.filter((e) => e.kind === "batch-item" && e.status === 400);
    expect(refusedItems).toHaveLength(1);
    expect(refusedItems[0]?.method).toBe("POST");

    editSpec(repo, "group", "rag-helpdesk-sales", (spec) => {
      spec.members = (spec.members as string[]).filter((m) => m !== "group:sg-ca-pilot-users");
    });
    commit(repo, "helpdesk: no nested group");
    // The 44 users are already there: the plan is empty right away.
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });
});
