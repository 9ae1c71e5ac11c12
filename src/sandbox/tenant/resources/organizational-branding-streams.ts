/**
 * Company branding's stream properties (images and the custom CSS) as Graph documents them
 * (docs/graph-behaviour.md, company branding images): `GET` answers the bytes with their
 * Content-Type (404 for a stream never uploaded), `PUT` of the bytes with an image/png,
 * image/jpeg or text/css Content-Type answers 204, an empty `PUT` removes the stream; the content
 * must be of an allowed format, within the published size and picture limits (`facts/
 * branding-images.ts`). Each upload gives the localization a new `<stream>RelativeUrl` (the CDN
 * path changes with the content) and `cdnList` names the CDNs while any stream is set. Bytes are
 * sandbox-internal data, never part of the JSON object.
 */
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { badRequest, notFound } from "../core/errors.js";
import { BRANDING_CONTENT_TYPES, BRANDING_STREAMS, type BrandingFormat, type BrandingStreamLimit } from "../../../facts/branding-images.js";

export const STREAM_NAMES = BRANDING_STREAMS.map((s) => s.property);
const CDN_LIST = ["aadcdn.msftauthimages.net", "aadcdn.msauthimages.net"];

interface StoredStream {
  readonly contentType: string;
  readonly base64: string;
}

function internalKey(localizationId: string): string {
  return `organizationalBranding:${localizationId}`;
}

function streamsOf(ctx: RequestContext, localizationId: string): Record<string, StoredStream> {
  const data = ctx.store.internalOf(internalKey(localizationId));
  const streams = (data["streams"] ??= {}) as Record<string, StoredStream>;
  return streams;
}

/** Names of the streams set on a localization (a DELETE of it is refused while any is). */
export function setStreams(ctx: RequestContext, localizationId: string): string[] {
  const data = ctx.store.peekInternal(internalKey(localizationId));
  return Object.keys((data?.["streams"] ?? {}) as Record<string, StoredStream>);
}

export function dropStreams(ctx: RequestContext, localizationId: string): void {
  ctx.store.dropInternal(internalKey(localizationId));
}

/** GET of one stream: its bytes, or 404 when none was uploaded. */
export function getStream(ctx: RequestContext, entity: Entity, property: string): { status: number; headers: Record<string, string>; body: Buffer } {
  const stream = streamsOf(ctx, entity.id)[property];
  if (!stream) throw notFound(`${entity.id}/${property}`);
  return { status: 200, headers: { "Content-Type": stream.contentType }, body: Buffer.from(stream.base64, "base64") };
}

/** PUT of one stream: checks the content, stores it and gives the localization its new CDN path. */
export function putStream(ctx: RequestContext, entity: Entity, property: string): { updated: Entity } {
  const limit = BRANDING_STREAMS.find((s) => s.property === property);
  if (!limit) throw badRequest(`Property '${property}' is not a stream property of 'microsoft.graph.organizationalBrandingLocalization'.`);
  const body = ctx.request.body;
  const bytes = Buffer.isBuffer(body) ? body : body === undefined ? Buffer.alloc(0) : undefined;
  if (!bytes) throw badRequest(`Stream property '${property}' takes the content itself with an image/png, image/jpeg or text/css Content-Type, not JSON.`);
  const streams = streamsOf(ctx, entity.id);
  const relative = `${property}RelativeUrl`;
  if (bytes.length === 0) {
    delete streams[property];
    const updated: Entity = { ...entity, [relative]: null };
    return { updated: withCdnList(ctx, updated) };
  }
  const contentType = (ctx.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const format = checkContent(limit, contentType, bytes);
  streams[property] = { contentType: BRANDING_CONTENT_TYPES[format], base64: bytes.toString("base64") };
  // The CDN path changes with every upload, so a browser never serves the old content.
  const version = ctx.store.newId().replaceAll("-", "").slice(0, 16);
  const updated: Entity = { ...entity, [relative]: `${ctx.core.tenantId}/${entity.id}/${property.toLowerCase()}?ts=${version}` };
  return { updated: withCdnList(ctx, updated) };
}

function withCdnList(ctx: RequestContext, entity: Entity): Entity {
  return { ...entity, cdnList: Object.keys(streamsOf(ctx, entity.id)).length > 0 ? [...CDN_LIST] : [] };
}

/** The content's format, or Graph's 400: wrong Content-Type, not that format, too big or too large a picture. */
function checkContent(limit: BrandingStreamLimit, contentType: string, bytes: Buffer): BrandingFormat {
  const format = limit.formats.find((f) => BRANDING_CONTENT_TYPES[f] === contentType || (f === "jpeg" && contentType === "image/jpg"));
  if (!format) throw badRequest(`Content-Type '${contentType || "(none)"}' is not allowed for '${limit.property}': ${limit.formats.map((f) => BRANDING_CONTENT_TYPES[f]).join(" or ")}.`);
  if (bytes.length > limit.maxBytes) throw badRequest(`'${limit.property}' is ${bytes.length} bytes; at most ${limit.maxBytes} bytes are allowed.`);
  if (format === "css") {
    if (!isUtf8Text(bytes)) throw badRequest(`'${limit.property}' must be a text/css style sheet.`);
    return format;
  }
  const size = format === "png" ? pngSize(bytes) : jpegSize(bytes);
  if (!size) throw badRequest(`'${limit.property}' is not a valid ${format.toUpperCase()} image.`);
  if ((limit.maxWidth !== undefined && size.width > limit.maxWidth) || (limit.maxHeight !== undefined && size.height > limit.maxHeight)) {
    throw badRequest(`'${limit.property}' is ${size.width}x${size.height} pixels; at most ${limit.maxWidth}x${limit.maxHeight} are allowed.`);
  }
  return format;
}

function isUtf8Text(bytes: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return !bytes.includes(0);
  } catch {
    return false;
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk, which must come first. */
function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.toString("latin1", 12, 16) !== "IHDR") return undefined;
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/** Width and height from a JPEG's first start-of-frame marker. */
function jpegSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1] ?? 0;
    const length = bytes.readUInt16BE(at + 2);
    const startOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (startOfFrame) {
      const height = bytes.readUInt16BE(at + 5);
      const width = bytes.readUInt16BE(at + 7);
      return width > 0 && height > 0 ? { width, height } : undefined;
    }
    at += 2 + length;
  }
  return undefined;
}
