import { ResponseType, type Client, type GraphRequest } from "@microsoft/microsoft-graph-client";
import type { JsonValue } from "../model/document.js";
import { AuthenticationFailed } from "./auth-provider.js";
import { GraphError } from "./errors.js";
import { networkErrorCode } from "./retry-policy.js";
import { isIdempotentRead, RequestMeta, type HttpMethod } from "./request-meta.js";
import type { GraphVersion, RequestOptions } from "./types.js";

/** The result of one logical request (after the middleware's retries). */
export interface HttpResult {
  status: number;
  headers: Headers;
  /** Parsed JSON body; undefined on 204 or an empty body. */
  body: JsonValue | undefined;
}

/**
 * Sends one logical request through the Graph client and its middleware chain. The URL is built
 * here (or is a nextLink used verbatim); a non-2xx final answer becomes a GraphError, except the
 * statuses listed in `allow`, which are returned.
 */
export const INCLUDE_UNKNOWN_ENUM_MEMBERS = "include-unknown-enum-members";

export class GraphHttp {
  constructor(
    private readonly client: Client,
    readonly baseUrl: string,
    readonly defaultVersion: GraphVersion = "v1.0",
  ) {}

  /**
   * `https://host/v1.0/path?$select=...`; `path` may already hold a query. An absolute URL (a saved
   * nextLink or deltaLink) is kept as it is; `send` refuses one on another origin.
   */
  url(path: string, options: RequestOptions = {}): string {
    const query = encodeQuery(options.query);
    const joiner = path.includes("?") ? "&" : "?";
    if (/^https?:\/\//i.test(path)) return `${path}${query ? joiner + query : ""}`;
    const version = options.version ?? this.defaultVersion;
    const rel = path.startsWith("/") ? path : `/${path}`;
    return `${this.baseUrl}/${version}${rel}${query ? joiner + query : ""}`;
  }

  /** Path after the version root, for errors and pacing: works for built URLs and nextLinks. */
  pathOf(url: string): string {
    const u = new URL(url);
    let pathname = u.pathname;
    try {
      pathname = decodeURIComponent(pathname);
    } catch {
      // keep it encoded
    }
    const path = pathname.replace(/^\/(v1\.0|beta)(?=\/|$)/, "");
    return path || "/";
  }

  async send(
    method: HttpMethod,
    url: string,
    init: { body?: JsonValue; headers?: Record<string, string>; idempotent?: boolean; allow?: readonly number[] } = {},
  ): Promise<HttpResult> {
    if (new URL(url).origin !== new URL(this.baseUrl).origin) {
      throw new Error(`refusing to send a request to ${new URL(url).origin}: the Graph endpoint is ${this.baseUrl}`);
    }
    const path = this.pathOf(url);
    const meta = new RequestMeta(method, url, path, init.idempotent ?? isIdempotentRead(method, path));
    // Evolvable enums (docs/graph-behaviour.md §10): without this Graph answers `unknownFutureValue` for members
    // added after it (e.g. the `linux` platform), and a plan would then rewrite them.
    const headers: Record<string, string> = { Accept: "application/json", Prefer: INCLUDE_UNKNOWN_ENUM_MEMBERS, ...init.headers };
    const request = this.client.api(url).middlewareOptions([meta]).responseType(ResponseType.RAW).headers(headers);
    let raw: unknown;
    try {
      raw = await dispatch(request, method, init.body);
    } catch (error) {
      throw translateFailure(meta, error);
    }
    const response = raw as Response;
    const text = await response.text();
    if (response.ok || init.allow?.includes(response.status)) {
      return { status: response.status, headers: response.headers, body: parseJson(text) };
    }
    throw GraphError.fromResponse(method, path, response, text);
  }

  /**
   * One request whose body, sent or answered, is bytes rather than JSON (a stream property: a
   * company branding image); the same middleware (retries, pacing) as `send`. `bytes` is sent as it
   * is, with the Content-Type the caller gives in `headers`.
   */
  async sendBytes(method: "GET" | "PUT", url: string, init: { bytes?: Buffer; headers?: Record<string, string>; allow?: readonly number[] } = {}): Promise<HttpBytesResult> {
    if (new URL(url).origin !== new URL(this.baseUrl).origin) {
      throw new Error(`refusing to send a request to ${new URL(url).origin}: the Graph endpoint is ${this.baseUrl}`);
    }
    const path = this.pathOf(url);
    // A PUT of the same bytes is idempotent: it may be retried like a read.
    const meta = new RequestMeta(method, url, path, true);
    const headers: Record<string, string> = { Accept: "*/*", ...init.headers };
    const request = this.client.api(url).middlewareOptions([meta]).responseType(ResponseType.RAW).headers(headers);
    let raw: unknown;
    try {
      raw = await dispatch(request, method, method === "PUT" ? (init.bytes ?? Buffer.alloc(0)) : undefined);
    } catch (error) {
      throw translateFailure(meta, error);
    }
    const response = raw as Response;
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.ok || init.allow?.includes(response.status)) return { status: response.status, headers: response.headers, bytes };
    throw GraphError.fromResponse(method, path, response, bytes.toString("utf8"));
  }
}

/** What `sendBytes` answers: the status and the body's bytes. */
export interface HttpBytesResult {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

function dispatch(request: GraphRequest, method: HttpMethod, body: JsonValue | Buffer | undefined): Promise<unknown> {
  switch (method) {
    case "GET":
      return request.get();
    case "POST":
      return request.post(body ?? {});
    case "PATCH":
      return request.patch(body ?? {});
    case "PUT":
      // A Buffer (a stream's content) is sent as it is; JSON is serialized by the client.
      return request.put(body ?? {});
    case "DELETE":
      return request.delete();
  }
}

/** The original failure (the Graph client wraps errors and loses their cause). */
function translateFailure(meta: RequestMeta, wrapped: unknown): Error {
  const failure = meta.failure ?? wrapped;
  if (failure instanceof AuthenticationFailed || failure instanceof GraphError) return failure;
  const code = networkErrorCode(failure);
  const detail = failure instanceof Error ? describeCause(failure) : String(failure);
  return new GraphError({
    status: 0,
    code: code ?? "NetworkError",
    message: detail,
    method: meta.method,
    path: meta.path,
  });
}

function describeCause(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

function parseJson(text: string): JsonValue | undefined {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/** OData query options: names keep their `$`, values are percent-encoded. */
export function encodeQuery(query: Record<string, string> | undefined): string {
  if (!query) return "";
  return Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k).replace(/^%24/, "$")}=${encodeURIComponent(v)}`)
    .join("&");
}
