import type { Context, MiddlewareOptions } from "@microsoft/microsoft-graph-client";

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/**
 * What the gateway tells its middleware about one logical request. The URL is the exact one to
 * send (an `@odata.nextLink` verbatim); the Graph client's own URL parsing is bypassed.
 */
export class RequestMeta implements MiddlewareOptions {
  constructor(
    readonly method: HttpMethod,
    readonly url: string,
    /** Path after the version root, without the query, for errors and the pacing rules. */
    readonly path: string,
    /** Safe to send again after a connection reset or a 500/502/504 (GETs, `$batch` of GETs). */
    readonly idempotent: boolean,
  ) {}

  /** The error a middleware saw before the Graph client wrapped it (a reset, a token failure). */
  failure?: unknown;
}

/**
 * Graph actions that only read although they are POSTs (`directoryObject: getByIds`,
 * `getMemberGroups`, `getMemberObjects`, `checkMemberGroups`, `checkMemberObjects`,
 * `getAvailableExtensionProperties`, `validateProperties`): sending one again changes nothing, so
 * they are retried after a 500/502/504 or a dropped connection like any GET.
 */
const READ_ACTIONS = /\/(getByIds|getMemberGroups|getMemberObjects|checkMemberGroups|checkMemberObjects|getAvailableExtensionProperties|validateProperties)$/i;

/** Whether a request only reads: a GET, or a POST to one of Graph's read actions. */
export function isIdempotentRead(method: HttpMethod, path: string): boolean {
  return method === "GET" || (method === "POST" && READ_ACTIONS.test(path));
}

export function requestMeta(context: Context): RequestMeta | undefined {
  const control = context.middlewareControl;
  if (!control || typeof control.getMiddlewareOptions !== "function") return undefined;
  const meta = control.getMiddlewareOptions(RequestMeta);
  return meta instanceof RequestMeta ? meta : undefined;
}

export function contextUrl(context: Context): string {
  const request: unknown = context.request;
  if (typeof request === "string") return request;
  if (request && typeof request === "object" && "url" in request && typeof request.url === "string") return request.url;
  return String(request);
}
