/**
 * An export into a folder held in memory (documents/document-folder.ts, sync's read: README
 * "Incremental sync") gives what an export into the same folder on disk gives: the same texts
 * byte for byte, the same image bytes, the same ExportResult (outcomes, paths, removed files, ids,
 * counts), against the HTTPS sandbox, starting from the same committed files: a document whose
 * object was deleted, a group renamed in the portal, a document of another environment, a
 * document with a template, a branding image changed in the portal.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemoryFolder } from "../../src/documents/document-folder.js";
import { exportTenant } from "../../src/engine/export.js";
import type { ExportOptions } from "../../src/engine/export.js";
import { createGateway } from "../../src/graph/create.js";
import { getKind, sortByDependencies } from "../../src/kinds/registry.js";
import { png } from "../helpers/images.js";
import { sandboxBlock } from "../helpers/sandbox-block.js";

const BRANDING = "/organization/{tenantId}/branding";
const descriptors = sortByDependencies(["user", "group", "organization", "organizationalBranding"]).map(getKind);

/** Every file under `root` by its path there (`<kind>/<file>`): documents as text, other files as bytes. */
function filesOf(root: string): Map<string, string | Buffer> {
  const files = new Map<string, string | Buffer>();
  for (const kind of readdirSync(root).sort()) {
    if (!statSync(join(root, kind)).isDirectory()) continue;
    for (const entry of readdirSync(join(root, kind)).sort()) {
      const bytes = readFileSync(join(root, kind, entry));
      files.set(`${kind}/${entry}`, entry.endsWith(".yaml") ? bytes.toString("utf8") : bytes);
    }
  }
  return files;
}

describe("export into a folder in memory", { timeout: 120_000 }, () => {
  const block = sandboxBlock({ seed: "demo" });
  const gateway = (): ReturnType<typeof createGateway> => createGateway({ env: block.env });

  it("writes the same texts, images and results as an export into the folder on disk", async () => {
    const graph = gateway();
    await graph.patch(BRANDING, { signInPageText: "Contoso" });
    await graph.putStream(`${BRANDING}/localizations/0/bannerLogo`, png(200, 30, [0, 51, 102]), "image/png");
    const committed = mkdtempSync(join(tmpdir(), "eg-memory-export-"));
    block.dirs.push(committed);
    const first = await exportTenant(graph, descriptors, committed, { streams: true });
    expect(first.failed.size).toBe(0);

    // What git holds besides the export: a document of another environment, one with a template.
    writeFileSync(join(committed, "group", "test-only.yaml"), "kind: group\nname: test-only\nenvironments: [test]\nspec:\n  displayName: Test only\n  mailEnabled: false\n  mailNickname: test-only\n  securityEnabled: true\n");
    const groups = readdirSync(join(committed, "group")).filter((f) => f.endsWith(".yaml") && f !== "test-only.yaml").sort();
    expect(groups.length).toBeGreaterThan(2);
    const templated = join(committed, "group", groups[0] as string);
    const templatedId = first.ids.get(`group/${(groups[0] as string).slice(0, -5)}`) as string;
    const live = (await graph.get(`/groups/${templatedId}`)) as { displayName: string };
    writeFileSync(templated, readFileSync(templated, "utf8").replace(`displayName: ${live.displayName}`, "displayName: ${prefix} team"));
    await graph.patch(`/groups/${templatedId}`, { displayName: "Prod team" });

    // The portal: a user deleted, a group renamed, the banner changed.
    const users = [...first.ids].filter(([address]) => address.startsWith("user/"));
    const [goneAddress, goneId] = users[users.length - 1] as [string, string];
    await graph.delete(`/users/${goneId}`);
    const renamedId = first.ids.get(`group/${(groups[1] as string).slice(0, -5)}`) as string;
    await graph.patch(`/groups/${renamedId}`, { displayName: "Renamed in the portal" });
    await graph.putStream(`${BRANDING}/localizations/0/bannerLogo`, png(220, 36, [200, 0, 0]), "image/png");

    const onDisk = mkdtempSync(join(tmpdir(), "eg-memory-export-disk-"));
    block.dirs.push(onDisk);
    cpSync(committed, onDisk, { recursive: true });
    const options: ExportOptions = { ids: first.ids, streams: true, environment: { name: "prod", known: ["prod", "test"], vars: { prefix: "Prod" } } };
    const memory = new MemoryFolder(onDisk, filesOf(committed));
    const inMemory = await exportTenant(graph, descriptors, memory, options);
    const disk = await exportTenant(graph, descriptors, onDisk, options);

    // The cases are all there: a removed document, a rewritten one, one set aside, a new image.
    expect(disk.removed).toEqual([join(onDisk, `${goneAddress}.yaml`)]);
    expect(disk.updated).toContain(join(onDisk, "group", groups[1] as string));
    expect(disk.streamFiles).toContain(join(onDisk, "organizationalBranding", "default.bannerLogo.png"));
    expect(readFileSync(join(onDisk, "group", "test-only.yaml"), "utf8")).toContain("environments: [test]");
    expect(readFileSync(templated.replace(committed, onDisk), "utf8")).toContain("displayName: ${prefix} team");

    expect(inMemory).toEqual(disk);
    const written = filesOf(onDisk);
    expect(new Map(memory.documents())).toEqual(new Map([...written].filter(([path]) => path.endsWith(".yaml"))));
    const images = new Map(memory.kindFiles(new Set(["organizationalBranding"]), (path) => !path.endsWith(".yaml")));
    expect(images).toEqual(new Map([...written].filter(([path]) => path.startsWith("organizationalBranding/") && !path.endsWith(".yaml"))));
    expect(images.get("organizationalBranding/default.bannerLogo.png")?.equals(png(220, 36, [200, 0, 0]))).toBe(true);
  });
});
