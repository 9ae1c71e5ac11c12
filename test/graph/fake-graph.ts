import { UnsecuredJWT } from "jose";
import type { TokenCredential } from "@azure/identity";

/** One request as the scripted transport saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

export type Reply = { status: number; headers?: Record<string, string>; body?: unknown } | "reset";

/**
 * A scripted `fetch` for unit tests of the middleware chain: each request is recorded and answered
 * by `respond`. (End-to-end behaviour is tested against the sandbox tenant over HTTPS.)
 */
export function scriptedFetch(respond: (req: SeenRequest, index: number) => Reply): {
  fetch: typeof fetch;
  seen: SeenRequest[];
} {
  const seen: SeenRequest[] = [];
  const impl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const text = typeof init?.body === "string" ? init.body : undefined;
    const req: SeenRequest = {
      method: init?.method ?? "GET",
      url: String(input),
      headers,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
    seen.push(req);
    const reply = respond(req, seen.length - 1);
    if (reply === "reset") {
      throw Object.assign(new TypeError("fetch failed"), {
        cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
      });
    }
    const body = reply.body === undefined ? null : JSON.stringify(reply.body);
    return new Response(reply.status === 204 ? null : body, {
      status: reply.status,
      headers: { "content-type": "application/json", ...reply.headers },
    });
  };
  return { fetch: impl as typeof fetch, seen };
}

export function fakeToken(claims: Record<string, unknown>): string {
  return new UnsecuredJWT(claims).setIssuedAt().setExpirationTime("1h").encode();
}

/** A credential that hands out one unsigned token and counts the calls. */
export function staticCredential(token: string): TokenCredential & { calls: number } {
  const credential = {
    calls: 0,
    getToken: async () => {
      credential.calls++;
      return { token, expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
  return credential;
}
