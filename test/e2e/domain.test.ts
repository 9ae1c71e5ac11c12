/**
 * The tenant's domains (`domain`, read-only): exported (name, default and verified flags, services,
 * authentication type, password policy) and compared, never written. Export → plan empty; a
 * document that differs, a document without a domain and a domain without a document each give a
 * plan warning and no change, and apply writes nothing; validate names file, line and field.
 */
import { describe, expect, it } from "vitest";
import { commit, demoRepoBlock, editSpec, readDoc, removeDoc, writeDoc, writes } from "./apply-fixture.js";

describe("domain: exported and compared, never written", () => {
  const demo = demoRepoBlock();

  it("exports each domain with the properties that matter, and plans empty", async () => {
    expect(readDoc(demo.repo, "domain", "contoso.com").spec).toEqual({
      id: "contoso.com",
      authenticationType: "Managed",
      isDefault: false,
      isVerified: true,
      supportedServices: ["Email", "OfficeCommunicationsOnline"],
    });
    expect(readDoc(demo.repo, "domain", "contoso.onmicrosoft.com").spec).toMatchObject({ id: "contoso.onmicrosoft.com", isDefault: true, isVerified: true });
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("a changed, an added and a removed document are warnings, never changes; apply writes nothing", async () => {
    editSpec(demo.repo, "domain", "contoso.com", (spec) => {
      spec.isDefault = true;
      spec.passwordValidityPeriodInDays = 90;
    });
    writeDoc(demo.repo, { kind: "domain", name: "fabrikam.com", spec: { id: "fabrikam.com", isVerified: true } });
    removeDoc(demo.repo, "domain", "contoso.onmicrosoft.com");
    commit(demo.repo, "domains edited by hand");
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    const text = plan.stdout + plan.stderr;
    expect(plan.code, text).toBe(0);
    expect(text).toMatch(/domain\/contoso\.com differs from the tenant \(isDefault, passwordValidityPeriodInDays\) but is not written/);
    expect(text).toMatch(/domain\/fabrikam\.com is not in the tenant and is not created/);
    expect(text).toMatch(/domain\/contoso\.onmicrosoft\.com has no document but is not deleted/);
    demo.started.sandbox.clearRequests();
    const applied = await demo.repo.cli("apply", "--auto-approve", "--allow-delete");
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(writes(demo.started.sandbox.requests()).filter((e) => e.path.includes("/domains"))).toEqual([]);
    const live = (await demo.client.api("/domains").get()) as { value: { id: string; isDefault: boolean }[] };
    expect(live.value.map((d) => `${d.id}:${d.isDefault}`).sort()).toEqual(["contoso.com:false", "contoso.onmicrosoft.com:true"]);
  });

  it("validate names the file, line and field of a flag that is not a boolean", async () => {
    editSpec(demo.repo, "domain", "contoso.com", (spec) => {
      spec.isVerified = "yes";
    });
    commit(demo.repo, "not a boolean");
    const validated = await demo.repo.cli("validate");
    expect(validated.code).toBe(1);
    expect(validated.stderr).toMatch(/domain[/\\]contoso\.com\.yaml:\d+:\d+.*isVerified/);
  });
});
