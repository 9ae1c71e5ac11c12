/**
 * The deleted items of Conditional Access objects are beta endpoints a tenant may refuse to app-only
 * tokens (docs/graph-behaviour.md §8). A named location deleted in the portal: with the deleted items
 * readable, plan restores it under its id; with them refused, plan still succeeds, warns that restore
 * will re-create it, and apply re-creates it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import { admin, exportedRepo, findByName } from "./apply-fixture.js";

const LOCATIONS = "/identity/conditionalAccess/namedLocations";

describe("deleted items refused to app-only tokens", () => {
  let started: StartedSandbox<SandboxTenant>;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
  });
  afterAll(async () => started?.stop());

  it("a sandbox started with deletedItemsAppOnly: refuse answers 403 to app-only reads of them", async () => {
    const refusing = await startSandbox({ seed: "empty", deletedItemsAppOnly: "refuse" });
    try {
      const error = await admin(refusing).api("/identity/conditionalAccess/deletedItems/policies").version("beta").get().then(() => undefined, (e: { statusCode?: number }) => e);
      expect(error?.statusCode).toBe(403);
    } finally {
      await refusing.stop();
    }
  });

  it("plan restores when it may read them, and degrades to a warning and a re-create when it may not", async () => {
    const client = admin(started);
    const created = (await client.api(LOCATIONS).post({
      "@odata.type": "#microsoft.graph.ipNamedLocation",
      displayName: "Branch Lyon",
      isTrusted: false,
      ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "198.51.100.64/27" }],
    })) as { id: string };
    const repo = await exportedRepo(sandboxEnv(started.sandbox));
    await client.api(`${LOCATIONS}/${created.id}`).delete();

    const readable = await repo.cli("plan", "--format", "json");
    expect(readable.code, readable.stderr).toBe(0);
    const restorePlan = JSON.parse(readable.stdout) as { changes: { action: string; address: string }[] };
    expect(restorePlan.changes.filter((c) => c.action !== "noop")).toEqual([expect.objectContaining({ action: "restore", address: "namedLocation/branch-lyon" })]);

    started.sandbox.tenant.setDeletedItemsAppOnly("refuse");
    try {
      const refused = await repo.cli("plan");
      expect(refused.code, refused.stderr).toBe(0);
      const text = refused.stdout + refused.stderr;
      expect(text).toContain("the deleted named locations could not be read (403 Authorization_RequestDenied");
      expect(text).toContain("restore will re-create namedLocation/branch-lyon with a new id");
      expect(text).toContain("namedLocation/branch-lyon will be created");

      const applied = await repo.cli("apply", "--auto-approve");
      expect(applied.code, applied.stderr + applied.stdout).toBe(0);
      const back = await findByName(client, LOCATIONS, "Branch Lyon");
      expect(back.id).not.toBe(created.id);
    } finally {
      started.sandbox.tenant.setDeletedItemsAppOnly("allow");
    }
  });
});
