/**
 * Stream properties kept in files beside their document (a kind's `streams`, ARCHITECTURE.md
 * "Kinds"): company branding images and the custom CSS, `tenant-config/organizationalBranding/
 * default.bannerLogo.png`. Graph reads and writes each at its own path, never in the object's JSON.
 * Plan compares them by SHA-256: the live object and the document each get, per stream set, the
 * value `sha256:<hex> (<size>)` (`withStreamDigests`), so a changed, added or removed file is a
 * field change like any other, and a saved plan is bound to the files it was made with. Plan
 * refuses a file Graph would refuse (format, size, picture size), naming it; apply PUTs the file's
 * bytes (or nothing, to remove) after checking they are still what the plan saw
 * (`apply/write-streams.ts`); export writes the tenant's bytes atomically. Bytes never reach a plan
 * or a log.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { BRANDING_CONTENT_TYPES } from "../facts/branding-images.js";
import { diskFolder } from "../documents/document-folder.js";
import type { KindFiles } from "../documents/document-folder.js";
import type { GraphGateway } from "../graph/types.js";
import type { JsonObject } from "../model/document.js";
import type { KindDescriptor } from "../kinds/types.js";
import type { Kind } from "../model/kind.js";
import type { GitRepository } from "../git/repository.js";
import { listTree } from "../git/tree.js";
import { readBlobs } from "../git/blobs.js";
import type { StreamProperty } from "../kinds/descriptor-write.js";
import { STREAM_EXTENSIONS, streamFileOf, type StreamFormat } from "../kinds/stream-files.js";

type Format = StreamFormat;
const WRITTEN_EXTENSION = STREAM_EXTENSIONS;
/** The Content-Type Graph takes for each format (published data, shared with the sandbox through facts/). */
export const STREAM_CONTENT_TYPES: Readonly<Record<Format, string>> = BRANDING_CONTENT_TYPES;

/** One stream's content. */
export interface StreamContent {
  readonly bytes: Buffer;
  readonly format: Format;
}

/** A stream file beside a document, read and checked. */
export interface StreamFile extends StreamContent {
  readonly property: string;
  /** Relative to the repository root. */
  readonly path: string;
}

/** The value a spec holds for a stream: its digest and size, never its bytes. */
export function streamValue(bytes: Buffer): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")} (${sizeText(bytes.length)})`;
}

function sizeText(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KB`;
}

/**
 * Where the stream files beside the documents are read from: the configuration folder of the work
 * tree (`folderStreams`), a git revision (`revisionStreams`, the blobs' bytes), or files held in
 * memory (`bytesStreams`: a rollback's result, a sync's export). Entries are file names in a
 * kind's folder.
 */
export interface StreamSource {
  entries(kind: Kind): Promise<string[]>;
  read(kind: Kind, entry: string): Promise<Buffer>;
  /** How problems name the file (repository-relative, with `@<revision>` for a revision's). */
  shown(kind: Kind, entry: string): string;
}

/** The work tree's configuration folder. */
export function folderStreams(configDir: string, rootDir: string): StreamSource {
  return {
    entries: (kind) => readdir(join(configDir, kind)).catch(() => [] as string[]),
    read: (kind, entry) => readFile(join(configDir, kind, entry)),
    shown: (kind, entry) => relative(rootDir, join(configDir, kind, entry)),
  };
}

/**
 * Files held in memory, by repository-relative path (`<folder>/<kind>/<file>`); `suffix` follows
 * each path in problems (` (rolled back)`, `@<revision>`).
 */
export function bytesStreams(files: ReadonlyMap<string, Buffer>, folder: string, suffix = ""): StreamSource {
  const byKind = new Map<string, Map<string, Buffer>>();
  const prefix = folder === "" ? "" : `${folder}/`;
  for (const [path, bytes] of files) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf("/");
    if (slash <= 0 || rest.indexOf("/", slash + 1) >= 0) continue;
    const kind = rest.slice(0, slash);
    let entries = byKind.get(kind);
    if (!entries) byKind.set(kind, (entries = new Map()));
    entries.set(rest.slice(slash + 1), bytes);
  }
  return {
    entries: (kind) => Promise.resolve([...(byKind.get(kind)?.keys() ?? [])]),
    read: (kind, entry) => {
      const bytes = byKind.get(kind)?.get(entry);
      return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`${repoPath(folder, kind, entry)}${suffix}: no such file`));
    },
    shown: (kind, entry) => `${repoPath(folder, kind, entry)}${suffix}`,
  };
}

/**
 * A git revision's files, read as bytes when asked (`git ls-tree` of a kind's folder once, each
 * blob by `git cat-file`): `plan --rev`, `drift`, `rollback`. `folder` is repository-relative.
 */
export function revisionStreams(repo: GitRepository, revision: string, folder: string): StreamSource {
  const listed = new Map<string, Promise<Map<string, string>>>();
  const list = (kind: string): Promise<Map<string, string>> => {
    let entries = listed.get(kind);
    if (!entries) {
      const prefix = `${repoPath(folder, kind)}/`;
      entries = listTree(repo, revision, repoPath(folder, kind)).then((all) => new Map(all.filter((e) => e.path.startsWith(prefix) && !e.path.slice(prefix.length).includes("/")).map((e) => [e.path.slice(prefix.length), e.blob])));
      listed.set(kind, entries);
    }
    return entries;
  };
  return {
    entries: async (kind) => [...(await list(kind)).keys()],
    read: async (kind, entry) => {
      const blob = (await list(kind)).get(entry);
      const bytes = blob ? (await readBlobs(repo, [blob])).get(blob) : undefined;
      if (!bytes) throw new Error(`${repoPath(folder, kind, entry)}@${revision.slice(0, 12)}: no such file`);
      return bytes;
    },
    shown: (kind, entry) => `${repoPath(folder, kind, entry)}@${revision.slice(0, 12)}`,
  };
}

/** `base`, with one document's stream files taken from `over` instead (`restore`: the document's images from the revision it comes from). */
export function withDocumentStreams(base: StreamSource, over: StreamSource, kind: Kind, name: string, descriptor: KindDescriptor): StreamSource {
  const ours = (entry: string): boolean => streamFileOf(descriptor, entry)?.name === name;
  return {
    entries: async (k) => (k !== kind ? base.entries(k) : [...(await base.entries(k)).filter((e) => !ours(e)), ...(await over.entries(k)).filter(ours)]),
    read: (k, entry) => (k === kind && ours(entry) ? over.read(k, entry) : base.read(k, entry)),
    shown: (k, entry) => (k === kind && ours(entry) ? over.shown(k, entry) : base.shown(k, entry)),
  };
}

/** A repository-relative path under the configuration folder (which may be the repository's root, ""). */
function repoPath(folder: string, ...parts: string[]): string {
  return [...(folder === "" ? [] : [folder]), ...parts].join("/");
}

/** Whether a repository-relative path is a stream file of one of these kinds (`<folder>/<kind>/<name>.<property>.<ext>`). */
export function isStreamPath(descriptors: readonly KindDescriptor[], folder: string, path: string): boolean {
  return streamPathOf(descriptors, folder, path) !== undefined;
}

/** A stream file's kind, document name and property, from its repository-relative path. */
export function streamPathOf(descriptors: readonly KindDescriptor[], folder: string, path: string): { descriptor: KindDescriptor; name: string; property: string } | undefined {
  const prefix = folder === "" ? "" : `${folder}/`;
  if (!path.startsWith(prefix)) return undefined;
  const rest = path.slice(prefix.length);
  const slash = rest.indexOf("/");
  if (slash <= 0 || rest.indexOf("/", slash + 1) >= 0) return undefined;
  const descriptor = descriptors.find((d) => d.kind === rest.slice(0, slash) && d.streams);
  const file = descriptor ? streamFileOf(descriptor, rest.slice(slash + 1)) : undefined;
  return descriptor && file ? { descriptor, name: file.name, property: file.property } : undefined;
}

/**
 * The stream files of one document: each checked as Graph checks an upload (an allowed format,
 * content of that format, within the size and picture limits). Problems name the file and field.
 */
export async function readStreamFiles(descriptor: KindDescriptor, name: string, source: StreamSource): Promise<{ files: StreamFile[]; problems: string[] }> {
  const files: StreamFile[] = [];
  const problems: string[] = [];
  if (!descriptor.streams) return { files, problems };
  const entries = await source.entries(descriptor.kind);
  const found = new Map<string, string[]>();
  for (const entry of entries.sort()) {
    const file = streamFileOf(descriptor, entry);
    if (!file || file.name !== name) continue;
    found.set(file.property, [...(found.get(file.property) ?? []), entry]);
  }
  for (const stream of descriptor.streams.properties) {
    const entriesOf = found.get(stream.property) ?? [];
    if (entriesOf.length === 0) continue;
    const shown = entriesOf.map((e) => source.shown(descriptor.kind, e));
    const field = `spec.${stream.property}`;
    if (entriesOf.length > 1) {
      problems.push(`${shown.join(" and ")}: ${field}: one file per image, found ${entriesOf.length}`);
      continue;
    }
    const entry = entriesOf[0] as string;
    const path = shown[0] as string;
    const format = streamFileOf(descriptor, entry)?.format;
    const allowed = stream.formats.map((f) => `.${WRITTEN_EXTENSION[f]}`).join(" or ");
    if (!format || !stream.formats.includes(format)) {
      problems.push(`${path}: ${field}: Graph takes ${allowed} for ${stream.property}`);
      continue;
    }
    const bytes = await source.read(descriptor.kind, entry);
    const problem = checkContent(stream, format, bytes);
    if (problem) problems.push(`${path}: ${field}: ${problem}`);
    else files.push({ property: stream.property, path, bytes, format });
  }
  return { files, problems };
}

/**
 * Why Graph would refuse this content for the stream, or undefined. The sandbox checks uploads
 * with its own reading of PNG and JPEG headers, on purpose: engine and sandbox share only facts/'
 * data (ARCHITECTURE.md "Layers"), so a parsing bug cannot make both agree.
 */
function checkContent(stream: StreamProperty, format: Format, bytes: Buffer): string | undefined {
  if (bytes.length === 0) return "the file is empty (remove the file to remove the image)";
  if (bytes.length > stream.maxBytes) return `${sizeText(bytes.length)} is over the ${sizeText(stream.maxBytes)} Graph takes for ${stream.property}`;
  if (format === "css") return isText(bytes) ? undefined : "not a UTF-8 text style sheet";
  const size = format === "png" ? pngSize(bytes) : jpegSize(bytes);
  if (!size) return `not a ${format === "png" ? "PNG" : "JPEG"} image`;
  if ((stream.maxWidth !== undefined && size.width > stream.maxWidth) || (stream.maxHeight !== undefined && size.height > stream.maxHeight)) {
    return `${size.width}x${size.height} pixels is over the ${stream.maxWidth}x${stream.maxHeight} Graph takes for ${stream.property}`;
  }
  return undefined;
}

function isText(bytes: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return !bytes.includes(0);
  } catch {
    return false;
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.toString("latin1", 12, 16) !== "IHDR") return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function jpegSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  for (let at = 2; at + 9 < bytes.length; ) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1] ?? 0;
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    at += 2 + bytes.readUInt16BE(at + 2);
  }
  return undefined;
}

function formatOf(contentType: string, bytes: Buffer): Format {
  const type = contentType.split(";")[0]?.trim().toLowerCase();
  if (type === "image/png" || bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return "png";
  if (type === "image/jpeg" || type === "image/jpg" || (bytes[0] === 0xff && bytes[1] === 0xd8)) return "jpeg";
  return "css";
}

/** The streams set on one live object, read from Graph (a stream never uploaded reads as none). */
export async function readLiveStreams(gateway: GraphGateway, descriptor: KindDescriptor, id: string): Promise<Map<string, StreamContent>> {
  const streams = descriptor.streams;
  const out = new Map<string, StreamContent>();
  if (!streams) return out;
  const read = await Promise.all(streams.properties.map(async (s) => [s.property, await gateway.getStream(streams.path(id, s.property), { version: descriptor.apiVersion })] as const));
  for (const [property, content] of read) if (content) out.set(property, { bytes: content.bytes, format: formatOf(content.contentType, content.bytes) });
  return out;
}

/** The spec with each stream's value (`streamValue`) set; streams not given are left out. */
export function withStreamDigests(spec: JsonObject, streams: ReadonlyMap<string, { readonly bytes: Buffer }>): JsonObject {
  const out: JsonObject = { ...spec };
  for (const [property, content] of streams) out[property] = streamValue(content.bytes);
  return out;
}

/**
 * Writes a live object's streams beside its document (atomically, as documents are) and removes
 * the files of streams it does not have. Returns the files written or removed. `folder` is the
 * configuration folder, on disk or in memory (documents/document-folder.ts).
 */
export async function writeStreamFiles(descriptor: KindDescriptor, folder: string | KindFiles, name: string, streams: ReadonlyMap<string, StreamContent>): Promise<string[]> {
  const files = typeof folder === "string" ? diskFolder(folder).files : folder;
  const kind = descriptor.kind;
  const entries = await files.entries(kind);
  const touched: string[] = [];
  for (const stream of descriptor.streams?.properties ?? []) {
    const content = streams.get(stream.property);
    const target = content ? `${name}.${stream.property}.${WRITTEN_EXTENSION[content.format]}` : undefined;
    for (const entry of entries) {
      const file = streamFileOf(descriptor, entry);
      if (file?.name !== name || file.property !== stream.property || entry === target) continue;
      await files.remove(kind, entry);
      touched.push(files.path(kind, entry));
    }
    if (!content || !target) continue;
    const existing = entries.includes(target) ? await files.read(kind, target) : undefined;
    if (existing?.equals(content.bytes)) continue;
    await files.write(kind, target, content.bytes);
    touched.push(files.path(kind, target));
  }
  return touched;
}

/** Removes the stream files of documents that are no longer there (their object is gone). */
export async function removeOrphanStreamFiles(descriptor: KindDescriptor, folder: string | KindFiles, names: ReadonlySet<string>): Promise<string[]> {
  const files = typeof folder === "string" ? diskFolder(folder).files : folder;
  const removed: string[] = [];
  for (const entry of await files.entries(descriptor.kind)) {
    const file = streamFileOf(descriptor, entry);
    if (!file || names.has(file.name)) continue;
    await files.remove(descriptor.kind, entry);
    removed.push(files.path(descriptor.kind, entry));
  }
  return removed;
}
