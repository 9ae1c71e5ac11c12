/**
 * Terms of use (`agreement`) through the CLI against the sandbox (opt-in): export (files without
 * their PDFs, which Graph never returns) → plan empty → settings edited + a new agreement created
 * from the PDF beside its document → apply → plan empty → delete → plan empty; a create without its
 * PDF and a change of files stop the plan, naming file and field; validate names file, line and
 * field; the sandbox refuses what Graph refuses.
 */
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { catchUpAuditLog, startSandbox } from "../helpers/sandbox.js";
import { git, sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, findByName, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const AGREEMENTS = "/identityGovernance/termsOfUse/agreements";
/** A minimal PDF (what Graph's create takes, base64-encoded, in `files[].fileData.data`). */
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n", "latin1");
const FRENCH_PDF = Buffer.from("%PDF-1.4\n% conditions d'utilisation\n%%EOF\n", "latin1");
type List = { value: Record<string, unknown>[] };

describe("agreement: terms of use, with their PDFs beside the documents (opt-in)", () => {
  let started: StartedSandbox<SandboxTenant>;
  let repo: ExportedRepo;
  let client: Client;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    await client.api(AGREEMENTS).post({
      displayName: "Contoso guests",
      isViewingBeforeAcceptanceRequired: true,
      files: [{ fileName: "guests.pdf", language: "en-US", isDefault: true, fileData: { data: PDF.toString("base64") } }],
    });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: ["agreement"] });
  });
  afterAll(async () => started?.stop());

  it("exports the agreement with its files (no PDF: Graph never returns one) and plans empty", async () => {
    expect(readDoc(repo, "agreement", "contoso-guests").spec).toEqual({
      displayName: "Contoso guests",
      isViewingBeforeAcceptanceRequired: true,
      files: [{ fileName: "guests.pdf", language: "en-US", isDefault: true }],
    });
    expect(readdirSync(join(repo.dir, "tenant-config", "agreement"))).toEqual(["contoso-guests.yaml"]);
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("is not in the default kinds: an export without kinds: writes no agreement", async () => {
    const plain = await exportedRepo(sandboxEnv(started.sandbox));
    expect(existsSync(join(plain.dir, "tenant-config", "agreement"))).toBe(false);
  });

  it("stops a create whose PDF is not beside its document, naming the document, the field and the file", async () => {
    writeDoc(repo, { kind: "agreement", name: "partners", spec: { displayName: "Partners", isViewingBeforeAcceptanceRequired: false, files: [{ fileName: "partners.pdf", language: "fr-FR" }] } });
    const plan = await repo.cli("plan");
    expect(plan.code).toBe(1);
    expect(plan.stdout + plan.stderr).toContain("tenant-config/agreement/partners.yaml: spec.files[0]: tenant-config/agreement/partners.fr-FR.pdf does not exist");
    writeFileSync(join(repo.dir, "tenant-config", "agreement", "partners.fr-FR.pdf"), "not a pdf");
    const notPdf = await repo.cli("plan");
    expect(notPdf.code).toBe(1);
    expect(notPdf.stdout + notPdf.stderr).toContain("partners.fr-FR.pdf is not a PDF file");
    removeDoc(repo, "agreement", "partners");
  });

  it("updates settings, creates an agreement from its PDF and deletes it, each apply followed by an empty plan", async () => {
    editSpec(repo, "agreement", "contoso-guests", (spec) => {
      spec.displayName = "Contoso guests and partners";
      spec.isPerDeviceAcceptanceRequired = true;
      spec.userReacceptRequiredFrequency = "P90D";
      spec.termsExpiration = { startDateTime: "2027-01-01T00:00:00Z", frequency: "P365D" };
    });
    writeDoc(repo, { kind: "agreement", name: "partners", spec: { displayName: "Partners", isViewingBeforeAcceptanceRequired: false, files: [{ fileName: "partners.pdf", language: "fr-FR", isDefault: true }] } });
    writeFileSync(join(repo.dir, "tenant-config", "agreement", "partners.fr-FR.pdf"), FRENCH_PDF);
    commit(repo, "guests settings, partners agreement");
    const plan = await repo.cli("plan");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    // The PDF is not a document (no warning) and the plan names it with its size and digest.
    expect(plan.stdout + plan.stderr).not.toContain("not a document");
    expect(plan.stdout).toMatch(/files\[language=fr-FR\] is created from tenant-config\/agreement\/partners\.fr-FR\.pdf \(\d+ bytes, sha256 [0-9a-f]{64}\)/);

    const applied = await applyConverges(repo);
    expect(applied).toContain("updated agreement/contoso-guests");
    expect(applied).toContain("created agreement/partners");
    const guests = await findByName(client, AGREEMENTS, "Contoso guests and partners");
    expect(guests).toMatchObject({ isPerDeviceAcceptanceRequired: true, userReacceptRequiredFrequency: "P90D", termsExpiration: { startDateTime: "2027-01-01T00:00:00Z", frequency: "P365D" } });
    const partners = await findByName(client, AGREEMENTS, "Partners");
    const expanded = (await client.api(`${AGREEMENTS}/${String(partners.id)}`).query({ $expand: "files" }).get()) as { files: Record<string, unknown>[] };
    expect(expanded.files).toMatchObject([{ fileName: "partners.pdf", language: "fr-FR", isDefault: true, fileData: null }]);
    // What reached the tenant is the PDF beside the document.
    const stored = started.sandbox.tenant.core.store.get("agreements", String(partners.id)) as unknown as { files: { data: string }[] };
    expect(Buffer.from(stored.files[0]?.data ?? "", "base64").equals(FRENCH_PDF)).toBe(true);

    removeDoc(repo, "agreement", "partners");
    commit(repo, "no partners agreement");
    const deleted = await applyConverges(repo, "--allow-delete");
    expect(deleted).toContain("deleted agreement/partners");
    expect(((await client.api(AGREEMENTS).get()) as List).value.map((a) => a.displayName)).toEqual(["Contoso guests and partners"]);
  });

  it("refuses a change of an existing agreement's files: plan stops, nothing is written", async () => {
    editSpec(repo, "agreement", "contoso-guests", (spec) => {
      spec.files = [{ fileName: "guests-v2.pdf", language: "en-US", isDefault: true }];
    });
    const plan = await repo.cli("plan");
    expect(plan.code).toBe(1);
    expect(plan.stdout + plan.stderr).toContain("files cannot change after an agreement is created");
    const applied = await repo.cli("apply", "--auto-approve");
    expect(applied.code).not.toBe(0);
    expect(applied.stdout).not.toContain("updated agreement/contoso-guests");
    editSpec(repo, "agreement", "contoso-guests", (spec) => {
      spec.files = [{ fileName: "guests.pdf", language: "en-US", isDefault: true }];
    });
  });

  it("sync commits a change made outside git to the agreement's document, and the plan after it is empty", async () => {
    commit(repo, "files as exported");
    const guests = await findByName(client, AGREEMENTS, "Contoso guests and partners");
    await client.api(`${AGREEMENTS}/${String(guests.id)}`).patch({ isViewingBeforeAcceptanceRequired: false });
    catchUpAuditLog(started.sandbox);
    const synced = await repo.cli("sync");
    expect(synced.code, synced.stdout + synced.stderr).toBe(0);
    expect(readDoc(repo, "agreement", "contoso-guests").spec.isViewingBeforeAcceptanceRequired).toBe(false);
    expect(git(repo.dir, "log", "-1", "--name-only", "--format=%s")).toContain("tenant-config/agreement/contoso-guests.yaml");
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("validate requires displayName, isViewingBeforeAcceptanceRequired and files, naming file and line", async () => {
    writeDoc(repo, { kind: "agreement", name: "broken", spec: { userReacceptRequiredFrequency: "every year" } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/agreement\/broken\.yaml:\d+:\d+/);
    for (const field of ["displayName", "isViewingBeforeAcceptanceRequired", "files", "userReacceptRequiredFrequency"]) expect(text).toContain(field);
    removeDoc(repo, "agreement", "broken");
  });

  it("sandbox: no files, a file without its PDF or with another format, two files in one language, a PATCH of files → 400", async () => {
    const file = { fileName: "x.pdf", language: "en", fileData: { data: PDF.toString("base64") } };
    await expect(client.api(AGREEMENTS).post({ displayName: "X", isViewingBeforeAcceptanceRequired: true })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(AGREEMENTS).post({ displayName: "X", isViewingBeforeAcceptanceRequired: true, files: [{ fileName: "x.pdf", language: "en" }] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(AGREEMENTS).post({ displayName: "X", isViewingBeforeAcceptanceRequired: true, files: [{ ...file, fileData: { data: Buffer.from("hello").toString("base64") } }] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(AGREEMENTS).post({ displayName: "X", isViewingBeforeAcceptanceRequired: true, files: [file, { ...file, fileName: "y.pdf" }] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(AGREEMENTS).post({ displayName: "X", files: [file] })).rejects.toMatchObject({ statusCode: 400 });
    const guests = await findByName(client, AGREEMENTS, "Contoso guests and partners");
    await expect(client.api(`${AGREEMENTS}/${String(guests.id)}`).patch({ files: [file] })).rejects.toMatchObject({ statusCode: 400 });
    // A list never carries the files, and an expanded file never its data.
    const listed = ((await client.api(AGREEMENTS).get()) as List).value;
    expect(listed.every((a) => !("files" in a))).toBe(true);
  });
});
