import { UsernamePasswordCredential } from "@azure/identity";
import { BatchRequestContent, BatchResponseContent, PageIterator } from "@microsoft/microsoft-graph-client";
import type { PageCollection } from "@microsoft/microsoft-graph-client";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_PORTAL_APP_ID } from "../../../src/sandbox/seeds/demo/index.js";
import { graphClient, startSandbox } from "../../helpers/sandbox.js";
import type { StartedSandbox } from "../../helpers/sandbox.js";

const userBody = (n: number) => ({
  accountEnabled: true,
  displayName: `Paging User ${n}`,
  mailNickname: `paging${n}`,
  userPrincipalName: `paging${n}@sandbox.onmicrosoft.com`,
  passwordProfile: { password: "Paging-Pass-2026!", forceChangePasswordNextSignIn: false },
});

describe("sandbox front with the real tenant", () => {
  let started: StartedSandbox;
  beforeAll(async () => {
    started = await startSandbox({ seed: "empty" });
  });
  afterAll(() => started?.stop());

  it("connects as the tenant's bootstrap app", () => {
    const { sandbox } = started;
    expect(sandbox.seedReport.source).toBe("empty");
    expect(sandbox.tenant.findClient(sandbox.env.AZURE_CLIENT_ID)?.secrets).toContain(sandbox.env.AZURE_CLIENT_SECRET);
  });

  it("creates users through BatchRequestContent and walks them with PageIterator", async () => {
    const { client, sandbox } = started;
    const content = new BatchRequestContent(
      Array.from({ length: 5 }, (_, i) => ({
        id: String(i + 1),
        request: new Request(`${sandbox.url}/v1.0/users`, { method: "POST", body: JSON.stringify(userBody(i + 1)), headers: { "Content-Type": "application/json" } }),
      })),
    );
    const raw = (await client.api("/$batch").post(await content.getContent())) as ConstructorParameters<typeof BatchResponseContent>[0];
    const parsed = new BatchResponseContent(raw);
    for (let i = 1; i <= 5; i++) expect(parsed.getResponseById(String(i))?.status).toBe(201);

    const first = (await client.api("/users").top(2).get()) as PageCollection;
    const names: string[] = [];
    await new PageIterator(client, first, (u: { displayName: string }) => {
      names.push(u.displayName);
      return true;
    }).iterate();
    for (let i = 1; i <= 5; i++) expect(names).toContain(`Paging User ${i}`);
    const pages = sandbox.requests().filter((r) => r.kind === "graph" && r.method === "GET" && r.path === "/v1.0/users");
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.every((r) => r.status === 200)).toBe(true);
  });

  it("persists the tenant to the state file on stop and loads it on the next start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sandbox-state-"));
    try {
      const stateFile = join(dir, "state.json");
      const first = await startSandbox({ seed: "empty", stateFile });
      const created = (await first.client.api("/users").post(userBody(42))) as { id: string };
      await first.stop();
      const second = await startSandbox({ seed: "empty", stateFile });
      try {
        expect(second.sandbox.seedReport.source).toBe("state");
        expect(second.sandbox.tenantId).toBe(first.sandbox.tenantId);
        expect(second.sandbox.env.AZURE_CLIENT_ID).toBe(first.sandbox.env.AZURE_CLIENT_ID);
        const user = (await second.client.api(`/users/${created.id}`).get()) as { displayName: string };
        expect(user.displayName).toBe("Paging User 42");
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("seeds the demo tenant, whose users sign in through the portal client with delegated tokens", async () => {
    const demo = await startSandbox({ seed: "demo" });
    try {
      const { sandbox } = demo;
      expect(sandbox.seedReport).toMatchObject({ source: "demo", failures: [] });
      expect(sandbox.seedReport.applied).toBeGreaterThan(10);
      const alice = new UsernamePasswordCredential(sandbox.tenantId, DEMO_PORTAL_APP_ID, "alice@contoso.onmicrosoft.com", DEMO_PASSWORD, {
        authorityHost: sandbox.url,
        disableInstanceDiscovery: true,
      });
      const users = (await graphClient(sandbox, alice).api("/users").select("id").get()) as { value: unknown[] };
      expect(users.value.length).toBeGreaterThan(0);
      expect(sandbox.requests().at(-1)).toMatchObject({ kind: "graph", status: 200, principal: "alice@contoso.onmicrosoft.com" });
    } finally {
      await demo.stop();
    }
  });

  it("seeds a new tenant from a folder of Graph JSON and reports what it could not use", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sandbox-seed-"));
    try {
      writeFileSync(join(dir, "group.json"), JSON.stringify({ "@odata.type": "#microsoft.graph.group", displayName: "Seeded Group", mailEnabled: false, mailNickname: "seeded", securityEnabled: true }));
      writeFileSync(join(dir, "notes.json"), JSON.stringify({ hello: "world" }));
      const seeded = await startSandbox({ seed: { dir } });
      try {
        expect(seeded.sandbox.seedReport).toMatchObject({ source: "folder", applied: 1, failures: [], skipped: [{ file: "notes.json" }] });
        const groups = (await seeded.client.api("/groups").get()) as { value: Array<{ displayName: string }> };
        expect(groups.value.map((g) => g.displayName)).toContain("Seeded Group");
      } finally {
        await seeded.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
