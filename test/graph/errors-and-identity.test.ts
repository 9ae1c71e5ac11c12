import { describe, expect, it } from "vitest";
import { GraphError, parseErrorBody, redact } from "../../src/graph/errors.js";
import { identityFromToken } from "../../src/graph/who-am-i.js";
import { fakeToken } from "./fake-graph.js";

describe("GraphError", () => {
  it("reads Graph's error body, the request id header winning over innerError", () => {
    const body = JSON.stringify({
      error: {
        code: "Authorization_RequestDenied",
        message: "Insufficient privileges to complete the operation.",
        innerError: { "request-id": "inner-id", "client-request-id": "c-1", date: "2026-01-01T00:00:00" },
      },
    });
    const response = new Response(body, { status: 403, headers: { "request-id": "header-id" } });
    const error = GraphError.fromResponse("PATCH", "/policies/authorizationPolicy?$select=x", response, body);
    expect(error).toMatchObject({
      status: 403,
      code: "Authorization_RequestDenied",
      graphMessage: "Insufficient privileges to complete the operation.",
      requestId: "header-id",
      clientRequestId: "c-1",
      method: "PATCH",
      path: "/policies/authorizationPolicy",
    });
    expect(error.message).toBe(
      "PATCH /policies/authorizationPolicy failed: HTTP 403 Authorization_RequestDenied: Insufficient privileges to complete the operation.",
    );
    expect(String(error)).toContain("(request-id header-id)");
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ status: 403, requestId: "header-id" });
  });

  it("copes with non-JSON and empty bodies", () => {
    expect(parseErrorBody("<html>Bad gateway</html>")).toEqual({ message: "<html>Bad gateway</html>" });
    expect(parseErrorBody("")).toEqual({});
    const error = GraphError.fromResponse("GET", "/users", new Response(null, { status: 502, statusText: "Bad Gateway" }), "");
    expect(error).toMatchObject({ code: "BadGateway", graphMessage: "Bad Gateway" });
  });

  it("keeps the inner code when it differs (Conditional Access style errors)", () => {
    expect(parseErrorBody({ error: { code: "BadRequest", message: "1007: ...", innerError: { code: "1007" } } })).toMatchObject({
      code: "BadRequest",
      innerCode: "1007",
    });
  });

  it("redacts bearer tokens, JWTs and secrets in form bodies", () => {
    const jwt = fakeToken({ tid: "t" });
    expect(redact(`Authorization: Bearer ${jwt}`)).toBe("Authorization: Bearer [redacted]");
    expect(redact(`token ${jwt} end`)).toBe("token [redacted-jwt] end");
    expect(redact("client_id=a&client_secret=abc~def&scope=x")).toBe("client_id=a&client_secret=[redacted]&scope=x");
  });
});

describe("whoAmI claims", () => {
  it("reads an app-only token", () => {
    const token = fakeToken({ tid: "t-1", appid: "app-1", oid: "sp-1", idtyp: "app", roles: ["Policy.Read.All", "Group.Read.All"] });
    expect(identityFromToken(token)).toEqual({
      tenantId: "t-1",
      appId: "app-1",
      userPrincipalName: undefined,
      roles: ["Policy.Read.All", "Group.Read.All"],
      scopes: [],
      objectId: "sp-1",
      type: "app",
    });
  });

  it("reads a delegated token (v2 azp, upn, space-separated scp)", () => {
    const token = fakeToken({ tid: "t-1", azp: "cli-app", upn: "alice@contoso.com", oid: "u-1", scp: "Policy.Read.All User.Read" });
    expect(identityFromToken(token)).toMatchObject({
      appId: "cli-app",
      userPrincipalName: "alice@contoso.com",
      scopes: ["Policy.Read.All", "User.Read"],
      roles: [],
      type: "user",
    });
  });

  it("refuses tokens it cannot read", () => {
    expect(() => identityFromToken("opaque")).toThrow(/not a JWT/);
    expect(() => identityFromToken(fakeToken({ appid: "x" }))).toThrow(/no tid/);
  });
});
