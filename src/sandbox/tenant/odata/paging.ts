import { badRequest } from "../core/errors.js";
import type { RequestContext } from "../core/context.js";

/** What a `$skiptoken` carries: where the next page starts. Opaque to clients (base64url JSON). */
export interface PageToken {
  /** Offset into the ordered result. */
  o: number;
  /** Fingerprint of the query the token was issued for. */
  f: string;
}

function fingerprint(query: URLSearchParams): string {
  const parts: string[] = [];
  for (const [k, v] of query) if (k.toLowerCase() !== "$skiptoken") parts.push(`${k.toLowerCase()}=${v}`);
  return parts.sort().join("&");
}

export function encodeSkipToken(token: PageToken): string {
  return `RFNwdA${Buffer.from(JSON.stringify(token)).toString("base64url")}`;
}

export function decodeSkipToken(ctx: RequestContext, raw: string): PageToken {
  try {
    if (!raw.startsWith("RFNwdA")) throw new Error("prefix");
    const parsed: unknown = JSON.parse(Buffer.from(raw.slice(6), "base64url").toString("utf8"));
    if (typeof parsed === "object" && parsed !== null && "o" in parsed && "f" in parsed) {
      const token = parsed as PageToken;
      if (typeof token.o === "number" && token.f === fingerprint(ctx.request.query)) return token;
    }
  } catch {
    // fall through
  }
  throw badRequest("Invalid skip token.", "Request_BadRequest");
}

/** Build a link to the same path with the original query options plus `extra` (Graph keeps `$` literal). */
export function buildLink(ctx: RequestContext, extra: Record<string, string>, drop: readonly string[] = ["$skiptoken"]): string {
  const parts: string[] = [];
  for (const [key, value] of ctx.request.query) {
    if (drop.includes(key.toLowerCase())) continue;
    parts.push(`${key}=${encodeURIComponent(value)}`);
  }
  for (const [key, value] of Object.entries(extra)) parts.push(`${key}=${encodeURIComponent(value)}`);
  return `${ctx.request.serviceRoot}${ctx.request.path}${parts.length > 0 ? `?${parts.join("&")}` : ""}`;
}

export function nextPageLink(ctx: RequestContext, offset: number): string {
  return buildLink(ctx, { $skiptoken: encodeSkipToken({ o: offset, f: fingerprint(ctx.request.query) }) });
}
