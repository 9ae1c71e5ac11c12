/** Graph error bodies (docs/graph-behaviour.md §5), thrown inside handlers and rendered by the dispatcher. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "GraphHttpError";
  }
}

export const INSUFFICIENT_PRIVILEGES = "Insufficient privileges to complete the operation.";

export function notFound(id: string): GraphHttpError {
  return new GraphHttpError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

/** What Graph answers when a write references an object it cannot (yet) see. */
export function referenceNotFound(id: string): GraphHttpError {
  return new GraphHttpError(
    400,
    "Request_BadRequest",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

export function badRequest(message: string, code = "Request_BadRequest"): GraphHttpError {
  return new GraphHttpError(400, code, message);
}

/** 400 `Invalid property 'x'.` for the first property of `body` not in `allowed` (`@odata.*` annotations pass). */
export function refuseUnknownProperties(body: Record<string, unknown>, allowed: ReadonlySet<string>): void {
  for (const key of Object.keys(body)) if (!allowed.has(key) && !key.startsWith("@odata.")) throw badRequest(`Invalid property '${key}'.`);
}

export function unsupportedQuery(message = "Unsupported Query."): GraphHttpError {
  return new GraphHttpError(400, "Request_UnsupportedQuery", message);
}

export function forbidden(message = INSUFFICIENT_PRIVILEGES): GraphHttpError {
  return new GraphHttpError(403, "Authorization_RequestDenied", message);
}

export function methodNotAllowed(): GraphHttpError {
  return new GraphHttpError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
}

export function noResourceForSegment(segment: string): GraphHttpError {
  return new GraphHttpError(
    400,
    "BadRequest",
    `Resource not found for the segment '${segment}'.`,
  );
}

export function readOnlyProperty(property: string): GraphHttpError {
  return badRequest(`Property '${property}' is read-only and cannot be set.`);
}

export function invalidPropertyValue(property: string, resource: string): GraphHttpError {
  return badRequest(`Invalid value specified for property '${property}' of resource '${resource}'.`);
}

/** Render any error as a Graph error body with `innerError` (date, request-id, client-request-id). */
export function errorBody(error: GraphHttpError, requestId: string, clientRequestId: string, now: Date): unknown {
  return {
    error: {
      code: error.code,
      message: error.message,
      innerError: {
        date: now.toISOString().slice(0, 19),
        "request-id": requestId,
        "client-request-id": clientRequestId,
      },
    },
  };
}
