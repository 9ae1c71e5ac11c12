import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { UnsecuredJWT } from "jose";
import { gitHubOidcAssertion } from "../../src/graph/github-oidc.js";

async function withServer(status: number, body: unknown, run: (url: string, hits: () => number) => Promise<void>) {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.statusCode = status;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/idtoken?api-version=2.0`, () => hits);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("GitHub Actions OIDC assertion", () => {
  it("explains a refused request (missing id-token: write) without echoing the request token", async () => {
    await withServer(403, { message: "forbidden" }, async (url) => {
      const get = gitHubOidcAssertion({ requestUrl: url, requestToken: "super-secret-runtime-token" });
      const error = (await get().catch((e: unknown) => e)) as Error;
      expect(error.message).toContain("HTTP 403");
      expect(error.message).toContain("id-token: write");
      expect(error.message).not.toContain("super-secret-runtime-token");
    });
  });

  it("rejects an answer without a token", async () => {
    await withServer(200, { count: 0 }, async (url) => {
      await expect(gitHubOidcAssertion({ requestUrl: url, requestToken: "t" })()).rejects.toThrow(/no token/);
    });
  });

  it("reuses the token until a minute before it expires", async () => {
    const token = new UnsecuredJWT({}).setExpirationTime(Math.floor(Date.parse("2026-01-01T00:10:00Z") / 1000)).encode();
    await withServer(200, { value: token }, async (url, hits) => {
      let now = Date.parse("2026-01-01T00:00:00Z");
      const get = gitHubOidcAssertion({ requestUrl: url, requestToken: "t" }, () => now);
      expect(await get()).toBe(token);
      now += 8 * 60_000;
      expect(await get()).toBe(token);
      expect(hits()).toBe(1);
      now += 60_000; // 9 min: within the last minute of validity
      await get();
      expect(hits()).toBe(2);
    });
  });
});
