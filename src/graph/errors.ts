/**
 * The one error type of the gateway (ARCHITECTURE.md): status, Graph error code, message, request id,
 * method and path. It never holds a token, a secret or a request header: the message is scrubbed
 * of anything that looks like a bearer token or JWT, and the query string is not kept.
 */
export class GraphError extends Error {
  readonly status: number;
  /** Graph's `error.code`, e.g. `Request_ResourceNotFound`, `TooManyRequests`, `BadRequest`. */
  readonly code: string;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  readonly method: string;
  /** Path after the version root, without the query. */
  readonly path: string;
  /** Graph's `innerError.code` when it differs from `code`. */
  readonly innerCode?: string;
  /** Graph's `error.message`, scrubbed. */
  readonly graphMessage: string;

  constructor(fields: {
    status: number;
    code: string;
    message: string;
    method: string;
    path: string;
    requestId?: string;
    clientRequestId?: string;
    innerCode?: string;
  }) {
    const message = redact(fields.message);
    const path = stripQuery(fields.path);
    super(`${fields.method} ${path} failed: HTTP ${fields.status} ${fields.code}: ${message}`);
    this.name = "GraphError";
    this.status = fields.status;
    this.code = fields.code;
    this.graphMessage = message;
    this.method = fields.method;
    this.path = path;
    this.requestId = fields.requestId;
    this.clientRequestId = fields.clientRequestId;
    this.innerCode = fields.innerCode;
  }

  override toString(): string {
    return `${this.name}: ${this.message}${this.requestId ? ` (request-id ${this.requestId})` : ""}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      status: this.status,
      code: this.code,
      message: this.graphMessage,
      method: this.method,
      path: this.path,
      requestId: this.requestId,
      clientRequestId: this.clientRequestId,
      innerCode: this.innerCode,
    };
  }

  /** Builds the error from a Graph error response (its body already read as text). */
  static fromResponse(method: string, path: string, response: Response, bodyText: string): GraphError {
    const parsed = parseErrorBody(bodyText);
    return new GraphError({
      status: response.status,
      code: parsed.code ?? statusCode(response.status),
      message: parsed.message ?? (response.statusText || `HTTP ${response.status}`),
      method,
      path,
      requestId: response.headers.get("request-id") ?? parsed.requestId,
      clientRequestId: response.headers.get("client-request-id") ?? parsed.clientRequestId,
      innerCode: parsed.innerCode,
    });
  }
}

interface ParsedErrorBody {
  code?: string;
  message?: string;
  requestId?: string;
  clientRequestId?: string;
  innerCode?: string;
}

/** Reads `{"error":{"code","message","innerError":{"request-id","client-request-id","code"}}}`. */
export function parseErrorBody(body: unknown): ParsedErrorBody {
  let value: unknown = body;
  if (typeof body === "string") {
    try {
      value = JSON.parse(body);
    } catch {
      return body.trim() ? { message: body.trim().slice(0, 500) } : {};
    }
  }
  const error = field(value, "error");
  if (!error || typeof error !== "object") return {};
  const inner = field(error, "innerError") ?? field(error, "innererror");
  const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
  const code = str(field(error, "code"));
  const innerCode = str(field(inner, "code"));
  return {
    code,
    message: str(field(error, "message")),
    requestId: str(field(inner, "request-id")),
    clientRequestId: str(field(inner, "client-request-id")),
    innerCode: innerCode !== code ? innerCode : undefined,
  };
}

function field(value: unknown, key: string): unknown {
  return value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
}

function statusCode(status: number): string {
  const names: Record<number, string> = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    412: "PreconditionFailed",
    429: "TooManyRequests",
    500: "InternalServerError",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
  };
  return names[status] ?? `HTTP${status}`;
}

function stripQuery(path: string): string {
  const q = path.indexOf("?");
  return q === -1 ? path : path.slice(0, q);
}

/** Removes bearer tokens, JWTs and `client_secret=`/`client_assertion=` values from text. */
export function redact(text: string): string {
  return text
    .replace(/\bBearer\s+[A-Za-z0-9\-_.~+/]+=*/gi, "Bearer [redacted]")
    .replace(/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, "[redacted-jwt]")
    .replace(/\b(client_secret|client_assertion|access_token|refresh_token|password)=([^&\s"]+)/gi, "$1=[redacted]");
}
