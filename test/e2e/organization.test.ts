/**
 * The tenant's own settings (`organization`): Graph lists the tenant as a one-item collection
 * (`GET /organization`) and writes it at `/organization/{tenantId}` (PATCH, 204). Export → plan
 * empty → notification lists and privacy profile set through apply → plan empty → cleared → plan
 * empty; read-only details (display name, verified domains) refused by validate with file, line and
 * field, never written; removing the document proposes nothing; a portal change is committed by
 * sync as its author; the sandbox refuses what Graph documents as read-only or ill-typed.
 */
import { describe, expect, it } from "vitest";
import { detectKind } from "../../src/engine/import/detect-kind.js";
import { getKind } from "../../src/kinds/registry.js";
import { asUser } from "../helpers/actors.js";
import { git } from "../helpers/cli.js";
import { catchUpAuditLog } from "../helpers/sandbox.js";
import { applyConverges, commit, demoRepoBlock, editSpec, readDoc, removeDoc, writes } from "./apply-fixture.js";

type Live = {
  id: string;
  displayName: string;
  technicalNotificationMails: string[];
  marketingNotificationEmails: string[];
  securityComplianceNotificationMails: string[];
  securityComplianceNotificationPhones: string[];
  privacyProfile: { contactEmail: string | null; statementUrl: string | null } | null;
};
const GLOBAL_ADMIN = "breakglass01@contoso.onmicrosoft.com";

describe("organization: exported, planned and applied", () => {
  const demo = demoRepoBlock();
  const live = async (): Promise<Live> => ((await demo.client.api("/organization").get()) as { value: Live[] }).value[0] as Live;
  const path = (): string => `/organization/${demo.started.sandbox.tenantId}`;

  it("is exported as one document holding only what Graph writes (nothing set in a new tenant), and plans empty", async () => {
    expect(readDoc(demo.repo, "organization", "default")).toEqual({ kind: "organization", name: "default", spec: {} });
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("sets the notification lists and the privacy profile through apply (PATCH at the tenant's id), then clears them, each followed by an empty plan", async () => {
    editSpec(demo.repo, "organization", "default", (spec) => {
      spec.technicalNotificationMails = ["it@contoso.com", "noc@contoso.com"];
      spec.securityComplianceNotificationMails = ["soc@contoso.com"];
      spec.securityComplianceNotificationPhones = ["+1 425 555 0100"];
      spec.marketingNotificationEmails = ["marketing@contoso.com"];
      spec.privacyProfile = { contactEmail: "privacy@contoso.com", statementUrl: "https://contoso.com/privacy" };
    });
    commit(demo.repo, "tenant contacts");
    const plan = await demo.repo.cli("plan");
    expect(plan.stdout).toContain("organization/default");
    demo.started.sandbox.clearRequests();
    expect(await applyConverges(demo.repo)).toContain("updated organization/default");
    // One PATCH at the tenant's id, answered 204 as Graph documents.
    expect(writes(demo.started.sandbox.requests()).map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([`PATCH /v1.0${path()} 204`]);
    expect(await live()).toMatchObject({
      technicalNotificationMails: ["it@contoso.com", "noc@contoso.com"],
      securityComplianceNotificationMails: ["soc@contoso.com"],
      securityComplianceNotificationPhones: ["+1 425 555 0100"],
      marketingNotificationEmails: ["marketing@contoso.com"],
      privacyProfile: { contactEmail: "privacy@contoso.com", statementUrl: "https://contoso.com/privacy" },
    });

    editSpec(demo.repo, "organization", "default", (spec) => {
      delete spec.marketingNotificationEmails;
      delete spec.securityComplianceNotificationPhones;
      delete spec.privacyProfile;
    });
    commit(demo.repo, "fewer contacts");
    expect(await applyConverges(demo.repo)).toContain("updated organization/default");
    const cleared = await live();
    expect(cleared).toMatchObject({ marketingNotificationEmails: [], securityComplianceNotificationPhones: [], privacyProfile: null });
    expect(cleared.technicalNotificationMails).toEqual(["it@contoso.com", "noc@contoso.com"]);
  });

  it("validate names the file, line and field of a read-only property, and apply writes nothing", async () => {
    editSpec(demo.repo, "organization", "default", (spec) => {
      spec.displayName = "Contoso Renamed";
    });
    commit(demo.repo, "rename the tenant");
    const validated = await demo.repo.cli("validate");
    expect(validated.code).toBe(1);
    expect(validated.stderr).toMatch(/organization[/\\]default\.yaml:\d+:\d+.*displayName/);
    demo.started.sandbox.clearRequests();
    const applied = await demo.repo.cli("apply", "--auto-approve");
    expect(applied.code).not.toBe(0);
    expect(writes(demo.started.sandbox.requests())).toEqual([]);
    expect((await live()).displayName).not.toBe("Contoso Renamed");
    editSpec(demo.repo, "organization", "default", (spec) => {
      delete spec.displayName;
    });
    commit(demo.repo, "keep the name");
  });

  it("sync commits a portal change of the notification mails as the administrator who made it", async () => {
    const admin = asUser(demo.started, GLOBAL_ADMIN);
    await admin.api(path()).patch({ technicalNotificationMails: ["noc@contoso.com"] });
    catchUpAuditLog(demo.started.sandbox);
    const base = git(demo.repo.dir, "rev-parse", "HEAD");
    const sync = await demo.repo.cli("sync");
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    expect(readDoc(demo.repo, "organization", "default").spec.technicalNotificationMails).toEqual(["noc@contoso.com"]);
    const log = git(demo.repo.dir, "log", "--format=%ae|%s", `${base}..HEAD`, "--", "tenant-config/organization").split("\n");
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(new RegExp(`^${GLOBAL_ADMIN.replace(/\./g, "\\.")}\\|`));
  });

  it("is never deleted: removing its document proposes nothing", async () => {
    removeDoc(demo.repo, "organization", "default");
    commit(demo.repo, "drop the document");
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("sandbox: PATCH refuses read-only properties, ill-typed lists and profiles, and the collection itself; GET lists one object", async () => {
    const client = demo.client;
    await expect(client.api(path()).patch({ displayName: "Mine" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(path()).patch({ verifiedDomains: [] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(path()).patch({ technicalNotificationMails: "it@contoso.com" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(path()).patch({ technicalNotificationMails: null })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(path()).patch({ securityComplianceNotificationPhones: [42] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(path()).patch({ privacyProfile: { contactEmail: "a@contoso.com", owner: "me" } })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(path()).patch({ privacyProfile: "https://contoso.com" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api("/organization").patch({ technicalNotificationMails: ["x@contoso.com"] })).rejects.toMatchObject({ statusCode: 405 });
    const listed = (await client.api("/organization").get()) as { value: Live[] };
    expect(listed.value).toHaveLength(1);
    expect(listed.value[0]).toMatchObject({ id: demo.started.sandbox.tenantId, technicalNotificationMails: ["noc@contoso.com"] });
  });

  it("import tells the organization by its context, type or shape; its audit words are its own", () => {
    expect(detectKind({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization" }, ".")).toEqual({ kind: "organization" });
    expect(detectKind({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization/$entity" }, ".")).toEqual({ kind: "organization" });
    expect(detectKind({ "@odata.type": "#microsoft.graph.organization" }, ".")).toEqual({ kind: "organization" });
    expect(detectKind({ id: "x", verifiedDomains: [], technicalNotificationMails: [] }, ".")).toEqual({ kind: "organization" });
    const activity = getKind("organization").audit.activity;
    for (const words of ["Set Company Information", "Update company", "Update company settings"]) expect(activity.test(words)).toBe(true);
    expect(activity.test("Update the company default cross-tenant access setting")).toBe(false);
  });
});
