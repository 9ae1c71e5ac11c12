import { readFileSync } from "node:fs";
import { join } from "node:path";
import { UsernamePasswordCredential } from "@azure/identity";
import { PageIterator } from "@microsoft/microsoft-graph-client";
import type { Client, PageCollection } from "@microsoft/microsoft-graph-client";
import { SignJWT, generateKeyPair, importPKCS8 } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../../src/sandbox/index.js";
import { GRAPH_SCOPE, graphClient, startSandbox, testCertDir } from "../../helpers/sandbox.js";
import type { StartedSandbox } from "../../helpers/sandbox.js";
import { PUBLIC_CLIENT_ID, TENANT_ID, fakeTenant } from "./fake-tenant.js";
import type { FakeTenant } from "./fake-tenant.js";

async function get(sandbox: Sandbox, path: string, token?: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token !== undefined) headers.set("Authorization", `Bearer ${token}`);
  return fetch(`${sandbox.url}${path}`, { ...init, headers });
}

async function forgedToken(claims: Record<string, unknown>, key?: Parameters<SignJWT["sign"]>[0]): Promise<string> {
  const signingKey = key ?? (await importPKCS8(readFileSync(join(testCertDir(), "token-signing-key.pem"), "utf8"), "RS256"));
  const now = Math.floor(Date.UTC(2026, 0, 1) / 1000);
  return new SignJWT({ tid: TENANT_ID, appid: "x", idtyp: "app", ...claims })
    .setProtectedHeader({ alg: "RS256" })
    .setIssuer(`https://sts.windows.net/${TENANT_ID}/`)
    .setAudience(typeof claims.aud === "string" ? claims.aud : "https://graph.microsoft.com")
    .setIssuedAt(now)
    .setExpirationTime(now + 3599)
    .sign(signingKey);
}

describe("sandbox Graph routing", () => {
  let started: StartedSandbox;
  let sandbox: Sandbox;
  let client: Client;
  let tenant: FakeTenant;

  beforeAll(async () => {
    tenant = fakeTenant({ userCount: 8 });
    started = await startSandbox({ tenant });
    ({ sandbox, client } = started);
  });
  afterAll(() => started.stop());

  it("hands authenticated requests to the tenant with the caller as Principal", async () => {
    const user = (await client.api("/users/user-1").get()) as { id: string };
    expect(user.id).toBe("user-1");
    const seen = tenant.requests.at(-1);
    expect(seen).toMatchObject({ method: "GET", version: "v1.0", path: "/users/user-1", serviceRoot: `${sandbox.url}/v1.0` });
    expect(seen?.headers.authorization).toBeUndefined();
    expect(seen?.principal).toMatchObject({ type: "app", appId: sandbox.env.AZURE_CLIENT_ID, tenantId: TENANT_ID, roles: ["User.ReadWrite.All", "Policy.ReadWrite.ConditionalAccess"] });
    const beta = (await client.api("/users/user-2").version("beta").get()) as { id: string };
    expect(beta.id).toBe("user-2");
    expect(tenant.requests.at(-1)?.version).toBe("beta");
  });

  it("passes a signed-in user's delegated identity to the tenant", async () => {
    const alice = new UsernamePasswordCredential(TENANT_ID, PUBLIC_CLIENT_ID, "alice@contoso.test", "alice-pw", { authorityHost: sandbox.url, disableInstanceDiscovery: true });
    const me = (await graphClient(sandbox, alice).api("/me").get()) as { userPrincipalName: string };
    expect(me.userPrincipalName).toBe("alice@contoso.test");
    expect(tenant.requests.at(-1)?.principal).toMatchObject({
      type: "user",
      appId: PUBLIC_CLIENT_ID,
      userId: "cccccccc-0000-0000-0000-000000000001",
      userPrincipalName: "alice@contoso.test",
      userDisplayName: "Alice",
      scopes: ["User.Read.All", "Policy.Read.All"],
      roles: [],
      ipAddress: "127.0.0.1",
    });
    expect(sandbox.requests().at(-1)).toMatchObject({ kind: "graph", path: "/v1.0/me", status: 200, principal: "alice@contoso.test" });
  });

  it("lets PageIterator walk every page of a collection", async () => {
    const first = (await client.api("/users").top(3).get()) as PageCollection;
    const ids: string[] = [];
    const iterator = new PageIterator(client, first, (item: { id: string }) => {
      ids.push(item.id);
      return true;
    });
    await iterator.iterate();
    expect(ids).toEqual(Array.from({ length: 8 }, (_, i) => `user-${i}`));
    const pages = sandbox.requests().filter((r) => r.path === "/v1.0/users" && r.status === 200);
    expect(pages.length).toBeGreaterThanOrEqual(3);
  });

  it("writes Graph's error shape with request ids and echoes client-request-id", async () => {
    const token = (await started.credential.getToken(GRAPH_SCOPE)).token;
    const response = await get(sandbox, "/v1.0/users/nobody", token, { headers: { "client-request-id": "abc-123" } });
    expect(response.status).toBe(404);
    expect(response.headers.get("client-request-id")).toBe("abc-123");
    expect(response.headers.get("content-type")).toContain("application/json;odata.metadata=minimal");
    const body = (await response.json()) as { error: { code: string; innerError: Record<string, string> } };
    expect(body.error.code).toBe("Request_ResourceNotFound");
    expect(body.error.innerError["request-id"]).toBe(response.headers.get("request-id"));
    expect(body.error.innerError["client-request-id"]).toBe("abc-123");
    expect(body.error.innerError.date).toMatch(/^2026-01-01T/);
  });

  it("answers malformed JSON with 400 BadRequest", async () => {
    const token = (await started.credential.getToken(GRAPH_SCOPE)).token;
    const response = await get(sandbox, "/v1.0/users", token, { method: "POST", body: "{not json", headers: { "Content-Type": "application/json" } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("BadRequest");
  });

  it("rejects missing, malformed, foreign, wrong-audience and expired tokens with 401", async () => {
    const cases: Array<[string | undefined, RegExp]> = [
      [undefined, /Access token is empty/],
      ["not-a-jwt", /CompactToken parsing failed/],
      [await forgedToken({}, (await generateKeyPair("RS256")).privateKey), /Invalid signature/],
      [await forgedToken({ aud: "https://management.azure.com" }), /Invalid audience/],
    ];
    for (const [token, message] of cases) {
      const response = await get(sandbox, "/v1.0/users", token);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="", authorization_uri="https:\/\/127\.0\.0\.1:\d+\/common\/oauth2\/authorize", client_id="00000003-0000-0000-c000-000000000000"$/);
      const body = (await response.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
      expect(body.error.code).toBe("InvalidAuthenticationToken");
      expect(body.error.message).toMatch(message);
      expect(body.error.innerError["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    }
    const valid = (await started.credential.getToken(GRAPH_SCOPE)).token;
    expect((await get(sandbox, "/v1.0/users", valid)).status).toBe(200);
    tenant.clock.advance(2 * 3600 * 1000);
    const expired = await get(sandbox, "/v1.0/users", valid);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: { message: string } }).error.message).toMatch(/token is expired/);
    expect(sandbox.requests().filter((r) => r.status === 401).length).toBe(5);
  });
});
