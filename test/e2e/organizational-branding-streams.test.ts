/**
 * Company branding images (stream properties) in the sandbox, through the engine's own gateway
 * (`getStream` / `putStream`) over real HTTPS: a PUT of PNG bytes is read back byte for byte with
 * its Content-Type, each upload gives a new `bannerLogoRelativeUrl` and fills `cdnList`, an empty
 * PUT removes the image; wrong Content-Type, a file over the size limit, a picture over the pixel
 * limit, JSON instead of bytes and a DELETE of a branding that still has an image are refused as
 * Graph documents (docs/graph-behaviour.md, company branding images).
 */
import { describe, expect, it } from "vitest";
import { createGateway } from "../../src/graph/create.js";
import { GraphError } from "../../src/graph/errors.js";
import { sandboxBlock } from "../helpers/sandbox-block.js";
import { jpegHeader, png } from "../helpers/images.js";

type Branding = { id: string; bannerLogoRelativeUrl: string | null; squareLogoRelativeUrl: string | null; cdnList: string[] };

describe("organizationalBranding: images are stream properties", () => {
  const block = sandboxBlock({ seed: "demo" });
  const gateway = (): ReturnType<typeof createGateway> => createGateway({ env: block.env });
  const BRANDING = "/organization/{tenantId}/branding";
  const status = async (promise: Promise<unknown>): Promise<number> => {
    try {
      await promise;
      return 200;
    } catch (error) {
      if (error instanceof GraphError) return error.status;
      throw error;
    }
  };

  it("a PUT of a PNG is read back byte for byte; each upload moves the CDN path; an empty PUT removes it", async () => {
    const graph = gateway();
    await graph.patch(BRANDING, { signInPageText: "Contoso" });
    expect(await graph.getStream(`${BRANDING}/bannerLogo`)).toBeUndefined();
    const first = png(200, 30);
    await graph.putStream(`${BRANDING}/localizations/0/bannerLogo`, first, "image/png");
    const read = await graph.getStream(`${BRANDING}/bannerLogo`);
    expect(read?.contentType).toBe("image/png");
    expect(read?.bytes.equals(first)).toBe(true);
    const after1 = (await graph.get(BRANDING)) as unknown as Branding;
    expect(after1.bannerLogoRelativeUrl).toMatch(/bannerlogo/);
    expect(after1.cdnList.length).toBeGreaterThan(0);
    await graph.putStream(`${BRANDING}/bannerLogo`, png(200, 30, [200, 0, 0]), "image/png");
    const after2 = (await graph.get(BRANDING)) as unknown as Branding;
    expect(after2.bannerLogoRelativeUrl).not.toBe(after1.bannerLogoRelativeUrl);
    await graph.putStream(`${BRANDING}/bannerLogo`, Buffer.alloc(0), "image/png");
    expect(await graph.getStream(`${BRANDING}/bannerLogo`)).toBeUndefined();
    const after3 = (await graph.get(BRANDING)) as unknown as Branding;
    expect(after3.bannerLogoRelativeUrl).toBeNull();
    expect(after3.cdnList).toEqual([]);
  });

  it("refuses a wrong Content-Type, a file or picture over the limits, bytes that are not the format, JSON", async () => {
    const graph = gateway();
    expect(await status(graph.putStream(`${BRANDING}/bannerLogo`, png(200, 30), "application/pdf"))).toBe(400);
    expect(await status(graph.putStream(`${BRANDING}/squareLogo`, png(240, 240, [0, 0, 0], 11 * 1024), "image/png"))).toBe(400);
    expect(await status(graph.putStream(`${BRANDING}/bannerLogo`, png(300, 36), "image/png"))).toBe(400);
    expect(await status(graph.putStream(`${BRANDING}/favicon`, Buffer.from("not a picture"), "image/png"))).toBe(400);
    expect(await status(graph.put(`${BRANDING}/bannerLogo`, { value: "aGVsbG8=" }))).toBe(400);
    expect(await status(graph.putStream(`${BRANDING}/backgroundImage`, jpegHeader(1921, 1080), "image/jpeg"))).toBe(400);
    expect(await status(graph.putStream(`${BRANDING}/backgroundImage`, jpegHeader(1920, 1080), "image/jpeg"))).toBe(200);
    expect((await graph.getStream(`${BRANDING}/backgroundImage`))?.contentType).toBe("image/jpeg");
    await graph.putStream(`${BRANDING}/backgroundImage`, Buffer.alloc(0), "image/jpeg");
    expect(await status(graph.putStream(`${BRANDING}/customCSS`, Buffer.from(".ext-sign-in-box { color: #333; }"), "text/css"))).toBe(200);
    expect((await graph.getStream(`${BRANDING}/customCSS`))?.contentType).toBe("text/css");
    await graph.putStream(`${BRANDING}/customCSS`, Buffer.alloc(0), "text/css");
  });

  it("refuses to delete a branding that still has an image, deletes it once the image is removed", async () => {
    const graph = gateway();
    await graph.post(`${BRANDING}/localizations`, { id: "fr-FR", signInPageText: "Contoso" });
    await graph.putStream(`${BRANDING}/localizations/fr-FR/squareLogo`, png(240, 240), "image/png");
    expect(await status(graph.delete(`${BRANDING}/localizations/fr-FR`))).toBe(400);
    await graph.putStream(`${BRANDING}/localizations/fr-FR/squareLogo`, Buffer.alloc(0), "image/png");
    await graph.delete(`${BRANDING}/localizations/fr-FR`);
    expect(await graph.get(`${BRANDING}/localizations/fr-FR`)).toBeUndefined();
  });
});
