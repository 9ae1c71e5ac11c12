/**
 * The files beside a company branding document (`engine/streams.ts`), read from a real folder:
 * each accepted file's digest value, and each file Graph would refuse named with its field: over
 * the size or picture limit (PNG and JPEG), not the format its extension says, an extension Graph
 * does not take for that image, two files for one image, a style sheet that is not text. Export's
 * writer replaces a file whose format changed and removes those of images gone; the configuration
 * reader does not take them for documents.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { folderStreams, readStreamFiles, streamValue, writeStreamFiles } from "../../src/engine/streams.js";
import { readConfigTree } from "../../src/documents/read-tree.js";
import { organizationalBranding } from "../../src/kinds/organizationalBranding.js";
import { shortStreamValue } from "../../src/kinds/stream-files.js";
import { jpegHeader, png } from "../helpers/images.js";

function folder(): { root: string; configDir: string; kindDir: string } {
  const root = mkdtempSync(join(tmpdir(), "stream-files-"));
  const configDir = join(root, "tenant-config");
  const kindDir = join(configDir, "organizationalBranding");
  mkdirSync(kindDir, { recursive: true });
  return { root, configDir, kindDir };
}

describe("company branding files beside the documents", () => {
  it("reads accepted files with their digests, and names every file Graph would refuse", async () => {
    const { root, configDir, kindDir } = folder();
    const banner = png(245, 36);
    writeFileSync(join(kindDir, "default.yaml"), "kind: organizationalBranding\nname: default\nspec:\n  id: '0'\n");
    writeFileSync(join(kindDir, "default.bannerLogo.png"), banner);
    writeFileSync(join(kindDir, "default.backgroundImage.jpg"), jpegHeader(1920, 1080));
    writeFileSync(join(kindDir, "default.customCSS.css"), ".ext-sign-in-box { color: #333; }\n");
    writeFileSync(join(kindDir, "default.headerLogo.jpg"), jpegHeader(246, 36));
    writeFileSync(join(kindDir, "default.favicon.png"), Buffer.from("GIF89a not a png"));
    writeFileSync(join(kindDir, "default.squareLogo.png"), png(240, 240));
    writeFileSync(join(kindDir, "default.squareLogo.jpg"), jpegHeader(240, 240));
    writeFileSync(join(kindDir, "default.squareLogoDark.gif"), Buffer.from("GIF89a"));
    writeFileSync(join(kindDir, "fr-fr.customCSS.css"), Buffer.from([0x00, 0xff, 0xfe]));
    const read = await readStreamFiles(organizationalBranding, "default", folderStreams(configDir, root));
    expect(read.files.map((f) => [f.property, f.format]).sort()).toEqual([
      ["backgroundImage", "jpeg"],
      ["bannerLogo", "png"],
      ["customCSS", "css"],
    ]);
    const bannerFile = read.files.find((f) => f.property === "bannerLogo");
    expect(streamValue(bannerFile?.bytes ?? Buffer.alloc(0))).toBe(`sha256:${createHash("sha256").update(banner).digest("hex")} (${banner.length} bytes)`);
    expect([...read.problems].sort()).toEqual([
      "tenant-config/organizationalBranding/default.favicon.png: spec.favicon: not a PNG image",
      "tenant-config/organizationalBranding/default.headerLogo.jpg: spec.headerLogo: 246x36 pixels is over the 245x36 Graph takes for headerLogo",
      "tenant-config/organizationalBranding/default.squareLogo.jpg and tenant-config/organizationalBranding/default.squareLogo.png: spec.squareLogo: one file per image, found 2",
      "tenant-config/organizationalBranding/default.squareLogoDark.gif: spec.squareLogoDark: Graph takes .png or .jpg for squareLogoDark",
    ]);
    const french = await readStreamFiles(organizationalBranding, "fr-fr", folderStreams(configDir, root));
    expect(french.problems).toEqual(["tenant-config/organizationalBranding/fr-fr.customCSS.css: spec.customCSS: not a UTF-8 text style sheet"]);
    // The configuration reader reads the one document and takes none of these files for one.
    const tree = await readConfigTree(configDir);
    expect(tree.documents.map((d) => d.name)).toEqual(["default"]);
    expect(tree.diagnostics).toEqual([]);
  });

  it("plans print a digest shortened, with its size", () => {
    const value = streamValue(Buffer.alloc(2048, 1));
    expect(shortStreamValue(value)).toMatch(/^sha256 [0-9a-f]{12}… \(2\.0 KB\)$/);
    expect(shortStreamValue("sha256 is a word")).toBeUndefined();
  });

  it("export's writer writes the tenant's bytes, replaces a file whose format changed and removes an image gone", async () => {
    const { kindDir, configDir } = folder();
    writeFileSync(join(kindDir, "default.bannerLogo.jpg"), jpegHeader(200, 30));
    writeFileSync(join(kindDir, "default.favicon.png"), png(32, 32));
    const banner = png(200, 30);
    await writeStreamFiles(organizationalBranding, configDir, "default", new Map([["bannerLogo", { bytes: banner, format: "png" as const }]]));
    expect(readdirSync(kindDir).sort()).toEqual(["default.bannerLogo.png"]);
  });
});
