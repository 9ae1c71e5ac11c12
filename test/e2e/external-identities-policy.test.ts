/**
 * The external identities policy (`externalIdentitiesPolicy`, `/policies/externalIdentitiesPolicy`,
 * Graph beta only): a singleton read by GET and written by PATCH, where Graph requires
 * `allowExternalIdentitiesToLeave` in every PATCH. Export → plan empty → edit → apply → plan empty
 * (each property alone, so apply must send the required one even when unchanged); removing the
 * document proposes nothing (never deleted); a change in the tenant is committed by sync; the
 * sandbox refuses what Graph documents it refuses, and v1.0 has no such path.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catchUpAuditLog } from "../helpers/sandbox.js";
import { git } from "../helpers/cli.js";
import { applyConverges, commit, demoRepoBlock, editSpec, readDoc, removeDoc } from "./apply-fixture.js";

const PATH = "/policies/externalIdentitiesPolicy";
type Live = { id: string; displayName: string; allowExternalIdentitiesToLeave: boolean; allowDeletedIdentitiesDataRemoval: boolean };

describe("externalIdentitiesPolicy: exported, planned and applied through Graph beta", () => {
  const demo = demoRepoBlock();
  const live = async (): Promise<Live> => (await demo.client.api(PATH).version("beta").get()) as Live;

  it("is exported as one document holding the two booleans, against its own schema, and plans empty", async () => {
    expect(readDoc(demo.repo, "externalIdentitiesPolicy", "default").spec).toEqual({ allowDeletedIdentitiesDataRemoval: false, allowExternalIdentitiesToLeave: true });
    const text = readFileSync(join(demo.repo.dir, "tenant-config", "externalIdentitiesPolicy", "default.yaml"), "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../../.entra-gitops/schemas/externalIdentitiesPolicy.schema.json");
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("changes each property alone through apply (the required one is sent unchanged too), each followed by an empty plan", async () => {
    editSpec(demo.repo, "externalIdentitiesPolicy", "default", (spec) => {
      spec.allowExternalIdentitiesToLeave = false;
    });
    commit(demo.repo, "guests stay until an administrator removes them");
    const plan = await demo.repo.cli("plan");
    expect(plan.stdout).toContain("externalIdentitiesPolicy/default");
    expect(await applyConverges(demo.repo)).toContain("updated externalIdentitiesPolicy/default");
    expect(await live()).toMatchObject({ allowExternalIdentitiesToLeave: false, allowDeletedIdentitiesDataRemoval: false });

    // Only the other property changes: Graph refuses a PATCH without allowExternalIdentitiesToLeave.
    editSpec(demo.repo, "externalIdentitiesPolicy", "default", (spec) => {
      spec.allowDeletedIdentitiesDataRemoval = true;
    });
    commit(demo.repo, "data removal");
    expect(await applyConverges(demo.repo)).toContain("updated externalIdentitiesPolicy/default");
    expect(await live()).toMatchObject({ allowExternalIdentitiesToLeave: false, allowDeletedIdentitiesDataRemoval: true });
  });

  it("a document leaving a property out keeps the tenant's value (Graph cannot clear it)", async () => {
    editSpec(demo.repo, "externalIdentitiesPolicy", "default", (spec) => {
      delete spec.allowDeletedIdentitiesDataRemoval;
    });
    commit(demo.repo, "manage only whether guests may leave");
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect((await live()).allowDeletedIdentitiesDataRemoval).toBe(true);
  });

  it("validate names the file, line and field of a non-boolean, and apply writes nothing", async () => {
    editSpec(demo.repo, "externalIdentitiesPolicy", "default", (spec) => {
      spec.allowExternalIdentitiesToLeave = "yes";
    });
    commit(demo.repo, "not a boolean");
    const validated = await demo.repo.cli("validate");
    expect(validated.code).toBe(1);
    expect(validated.stderr).toMatch(/externalIdentitiesPolicy[/\\]default\.yaml:\d+:\d+.*allowExternalIdentitiesToLeave/);
    const applied = await demo.repo.cli("apply", "--auto-approve");
    expect(applied.code).not.toBe(0);
    expect((await live()).allowExternalIdentitiesToLeave).toBe(false);
    editSpec(demo.repo, "externalIdentitiesPolicy", "default", (spec) => {
      spec.allowExternalIdentitiesToLeave = false;
    });
    commit(demo.repo, "a boolean again");
  });

  it("sync commits a change made in the tenant to the document", async () => {
    await demo.client.api(PATH).version("beta").patch({ allowExternalIdentitiesToLeave: true });
    catchUpAuditLog(demo.started.sandbox);
    const synced = await demo.repo.cli("sync");
    expect(synced.code, synced.stdout + synced.stderr).toBe(0);
    expect(readDoc(demo.repo, "externalIdentitiesPolicy", "default").spec.allowExternalIdentitiesToLeave).toBe(true);
    expect(git(demo.repo.dir, "log", "-1", "--stat")).toContain("externalIdentitiesPolicy/default.yaml");
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("is never deleted: removing its document proposes nothing", async () => {
    removeDoc(demo.repo, "externalIdentitiesPolicy", "default");
    commit(demo.repo, "drop the document");
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("sandbox: beta only, allowExternalIdentitiesToLeave required in a PATCH, booleans only, read-only names", async () => {
    await expect(demo.client.api(PATH).get()).rejects.toMatchObject({ statusCode: 400 });
    const beta = () => demo.client.api(PATH).version("beta");
    await expect(beta().patch({ allowDeletedIdentitiesDataRemoval: false })).rejects.toMatchObject({ statusCode: 400 });
    await expect(beta().patch({ allowExternalIdentitiesToLeave: "yes" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(beta().patch({ allowExternalIdentitiesToLeave: true, allowDeletedIdentitiesDataRemoval: 1 })).rejects.toMatchObject({ statusCode: 400 });
    await expect(beta().patch({ allowExternalIdentitiesToLeave: true, displayName: "Mine" })).rejects.toMatchObject({ statusCode: 400 });
    expect(await live()).toMatchObject({ id: "externalIdentitiesPolicy", displayName: "External Identities Policy", allowExternalIdentitiesToLeave: true });
  });
});
