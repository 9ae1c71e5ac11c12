import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KIND_NAMES } from "../../src/model/kind.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, removeDoc, writeDoc } from "./apply-fixture.js";

const DOMAIN = "contoso.onmicrosoft.com";

describe("apply: users (opt-in kind) created, updated and deleted, with a group membership in the same apply", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: [...KIND_NAMES] });
    client = admin(started);
  });
  afterAll(async () => started?.stop());

  it("creates a user without any password in git, adds them to a group, edits profile fields, deletes them", async () => {
    writeDoc(repo, {
      kind: "user",
      name: "yara-haddad",
      spec: {
        displayName: "Yara Haddad",
        givenName: "Yara",
        surname: "Haddad",
        userPrincipalName: `yara.haddad@${DOMAIN}`,
        department: "Finance",
        jobTitle: "Analyst",
        usageLocation: "DE",
        otherMails: ["yara@example.com"],
      },
    });
    editSpec(repo, "group", "finance-team", (spec) => {
      spec.members = [...(spec.members as string[]), `user:yara.haddad@${DOMAIN}`];
    });
    commit(repo, "hire Yara");
    const out = await applyConverges(repo);
    expect(out.indexOf("created user/yara-haddad")).toBeGreaterThanOrEqual(0);
    expect(out).not.toMatch(/password/i);
    expect(out.indexOf("created user/yara-haddad")).toBeLessThan(out.indexOf("updated group/finance-team"));
    const found = (await client.api("/users").filter(`userPrincipalName eq 'yara.haddad@${DOMAIN}'`).select("id,accountEnabled,department,mailNickname,otherMails").get()) as { value: Record<string, unknown>[] };
    expect(found.value).toHaveLength(1);
    const user = found.value[0] as Record<string, unknown>;
    expect(user).toMatchObject({ accountEnabled: true, department: "Finance", mailNickname: "yara.haddad", otherMails: ["yara@example.com"] });
    const groups = (await client.api(`/users/${String(user.id)}/memberOf`).get()) as { value: { displayName: string }[] };
    expect(groups.value.map((g) => g.displayName)).toContain("Finance Team");

    editSpec(repo, "user", "yara-haddad", (spec) => {
      spec.jobTitle = "Senior Analyst";
      spec.otherMails = ["yara@example.com", "y.haddad@example.org"];
    });
    commit(repo, "promote Yara");
    expect(await applyConverges(repo)).toContain("updated user/yara-haddad");
    const promoted = (await client.api(`/users/${String(user.id)}`).select("jobTitle,otherMails").get()) as { jobTitle: string; otherMails: string[] };
    expect(promoted.jobTitle).toBe("Senior Analyst");
    expect([...promoted.otherMails].sort()).toEqual(["y.haddad@example.org", "yara@example.com"]);

    removeDoc(repo, "user", "yara-haddad");
    editSpec(repo, "group", "finance-team", (spec) => {
      spec.members = (spec.members as string[]).filter((m) => m !== `user:yara.haddad@${DOMAIN}`);
    });
    commit(repo, "Yara leaves");
    expect(await applyConverges(repo, "--allow-delete")).toContain("deleted user/yara-haddad");
    const deleted = (await client.api("/directory/deletedItems/microsoft.graph.user").get()) as { value: { id: string }[] };
    expect(deleted.value.map((u) => u.id)).toContain(user.id);
  });
});
