import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { detectChanges } from "../../src/engine/sync/changes.js";
import { streamValue } from "../../src/engine/streams.js";
import { organizationalBranding } from "../../src/kinds/organizationalBranding.js";
import { openRepository } from "../../src/git/repository.js";
import { readFilesAtRevision } from "../../src/git/tree.js";
import { readFolderFiles } from "../../src/git/worktree.js";
import { tempRepo, type TempRepo } from "../git/git-fixture.js";

const doc = (kind: string, name: string, id: string, displayName: string): string =>
  `kind: ${kind}\nname: ${name}\nid: ${id}\nspec:\n  displayName: ${displayName}\n`;
const P = (kind: string, name: string): string => `tenant-config/${kind}/${name}.yaml`;

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo();
});
afterEach(() => repo.cleanup());

describe("detectChanges", () => {
  it("compares HEAD with the exported work tree and yields attribution input", async () => {
    repo.commit("export", {
      [P("group", "finance")]: doc("group", "finance", "g-1", "Finance"),
      [P("group", "hr")]: doc("group", "hr", "g-2", "HR"),
      [P("namedLocation", "hq")]: doc("namedLocation", "hq", "nl-1", "HQ"),
      "tenant-config/README.md": "about\n",
    });
    // What an export would leave: one modified, one deleted, one added, one unreadable.
    repo.write(P("group", "finance"), doc("group", "finance", "g-1", "Finance team"));
    repo.git("rm", "-q", "--cached", P("group", "hr"));
    repo.git("clean", "-q", "-f", "--", P("group", "hr"));
    repo.write(P("conditionalAccessPolicy", "mfa"), doc("conditionalAccessPolicy", "mfa", "ca-1", "MFA"));
    repo.write(P("namedLocation", "hq"), "kind: [broken\n");
    repo.write("tenant-config/README.md", "changed readme\n");
    repo.write("tenant-config/group/.finance.yaml.entra-gitops-1-ab.tmp", "temp\n");

    const r = await openRepository(repo.dir);
    const { changes, unreadable } = detectChanges({
      folder: "tenant-config",
      before: await readFilesAtRevision(r, "HEAD", "tenant-config"),
      after: await readFolderFiles(r, "tenant-config"),
    });
    expect(changes.map((c) => [c.address, c.change, c.id ?? null])).toEqual([
      ["conditionalAccessPolicy/mfa", "added", "ca-1"],
      ["group/finance", "modified", "g-1"],
      ["group/hr", "deleted", "g-2"],
      ["namedLocation/hq", "modified", "nl-1"],
    ]);
    const hr = changes.find((c) => String(c.address) === "group/hr");
    expect(hr?.document).toBeNull();
    expect(hr?.previous?.spec.displayName).toBe("HR");
    expect(hr?.file).toEqual({ path: P("group", "hr"), content: null });
    expect(unreadable).toEqual([P("namedLocation", "hq")]);
  });

  it("a document whose name and spec are unchanged is not a change: layout, comments, or an id gained after apply", () => {
    const before = new Map([
      [P("group", "approvers"), "kind: group\nname: approvers\nspec:\n  securityEnabled: true\n  displayName: Approvers\n"],
      [P("group", "finance"), doc("group", "finance", "g-1", "Finance")],
      [P("group", "hr"), doc("group", "hr", "g-2", "HR")],
    ]);
    const after = new Map([
      [P("group", "approvers"), "# yaml-language-server: $schema=../../schemas/group.schema.json\nkind: group\nname: approvers\nid: g-9\nspec:\n  displayName: Approvers\n  securityEnabled: true\n"],
      [P("group", "finance"), `# exported\n${doc("group", "finance", "g-1", "Finance")}`],
      // Another id under the same name is a change (the object was replaced).
      [P("group", "hr"), doc("group", "hr", "g-3", "HR")],
    ]);
    const { changes } = detectChanges({ folder: "tenant-config", before, after });
    expect(changes.map((c) => [c.address, c.change, c.id ?? null])).toEqual([["group/hr", "modified", "g-3"]]);
  });

  it("a document whose images differ is a change carrying the image files, with both specs' digests; same bytes are none", () => {
    const folder = "tenant-config";
    const yaml = "kind: organizationalBranding\nname: default\nspec:\n  id: '0'\n";
    const texts = new Map([[P("organizationalBranding", "default"), yaml], [P("organizationalBranding", "fr-fr"), yaml.replace("default", "fr-fr").replace("'0'", "fr-FR")]]);
    const image = (name: string): string => `${folder}/organizationalBranding/${name}`;
    const navy = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1]);
    const red = Buffer.from([0x89, 0x50, 0x4e, 0x47, 2]);
    const before = new Map([[image("default.bannerLogo.png"), navy], [image("default.favicon.png"), navy], [image("fr-fr.squareLogo.png"), navy]]);
    const after = new Map([[image("default.bannerLogo.png"), red], [image("default.headerLogo.png"), red], [image("fr-fr.squareLogo.png"), Buffer.from(navy)]]);
    const { changes } = detectChanges({ folder, before: texts, after: texts, streams: { descriptors: [organizationalBranding], before, after } });
    expect(changes.map((c) => [c.address, c.change])).toEqual([["organizationalBranding/default", "modified"]]);
    const change = changes[0];
    expect(change?.streams).toEqual([
      { path: image("default.bannerLogo.png"), content: red },
      { path: image("default.favicon.png"), content: null },
      { path: image("default.headerLogo.png"), content: red },
    ]);
    expect(change?.file).toEqual({ path: P("organizationalBranding", "default"), content: yaml });
    expect(change?.previous?.spec).toEqual({ id: "0", bannerLogo: streamValue(navy), favicon: streamValue(navy) });
    expect(change?.document?.spec).toEqual({ id: "0", bannerLogo: streamValue(red), headerLogo: streamValue(red) });
  });
});

