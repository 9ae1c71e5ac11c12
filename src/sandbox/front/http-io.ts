/** Small helpers for reading requests and writing responses on node:http. */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Largest request body accepted (Graph rejects far smaller bodies on most endpoints). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super("request body too large");
    this.name = "BodyTooLargeError";
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString("utf8");
}

/** The request body's bytes (a stream property's image is binary). */
export async function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Content types whose bodies reach the tenant as bytes (a `Buffer`), not parsed JSON: what Graph
 * takes for stream properties (company branding images and CSS, docs/graph-behaviour.md).
 */
export function isBinaryContentType(contentType: string | undefined): boolean {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return type.startsWith("image/") || type === "text/css" || type === "application/octet-stream";
}

/** Request headers as a plain record with lower-cased names (multi-valued headers joined by ", "). */
export function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

export const GRAPH_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/** Writes a status, headers and a body: objects as JSON, strings as text, undefined as no body. */
export function writeResponse(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: unknown,
  jsonContentType = GRAPH_JSON,
): void {
  const out: Record<string, string> = { ...headers };
  let payload: string | Buffer | undefined;
  if (body !== undefined && status !== 204 && status !== 304) {
    if (Buffer.isBuffer(body)) {
      payload = body;
      if (!hasHeader(out, "content-type")) out["Content-Type"] = "application/octet-stream";
    } else if (typeof body === "string" || typeof body === "number") {
      payload = String(body);
      if (!hasHeader(out, "content-type")) out["Content-Type"] = "text/plain;charset=utf-8";
    } else {
      payload = JSON.stringify(body);
      if (!hasHeader(out, "content-type")) out["Content-Type"] = jsonContentType;
    }
  }
  if (payload !== undefined) out["Content-Length"] = String(Buffer.byteLength(payload));
  else if (status !== 204 && status !== 304) out["Content-Length"] = "0";
  res.writeHead(status, out);
  res.end(payload);
}

export function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((key) => key.toLowerCase() === lower);
}

/** Parses `application/x-www-form-urlencoded` into a map (last value wins). */
export function parseForm(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(text)) out.set(key, value);
  return out;
}
