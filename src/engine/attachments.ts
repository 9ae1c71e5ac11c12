/**
 * Content kept in files beside a document (a kind's `attachments`, ARCHITECTURE.md "Kinds"): an
 * agreement's PDFs, which Graph takes only in the create body and never returns. Plan reads each
 * file of a create, refuses a missing or malformed one (naming the document and the field) and
 * notes its size and SHA-256, so a saved plan is bound to the PDFs it was reviewed with; apply
 * reads them again and puts them, base64-encoded, into the create body.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { JsonObject, JsonValue } from "../model/document.js";
import { isJsonObject } from "../model/json.js";
import type { KindDescriptor } from "../kinds/types.js";
import type { Attachments } from "../kinds/descriptor-write.js";

/** One item's file, read. */
export interface AttachmentFile {
  /** The item's position in the document's list. */
  readonly index: number;
  /** The item's `nameBy` value (an agreement file's language). */
  readonly key: string;
  /** The file, relative to the repository root (or absolute when outside it). */
  readonly path: string;
  readonly bytes: Buffer;
  readonly sha256: string;
}

/** `<name>.<key>.<extension>` in the kind's folder of the configuration. */
export function attachmentPath(configDir: string, kind: string, name: string, attachments: Attachments, key: string): string {
  return join(configDir, kind, `${name}.${key}.${attachments.extension}`);
}

function items(spec: JsonObject, attachments: Attachments): JsonObject[] {
  const list = spec[attachments.property];
  return Array.isArray(list) ? list.filter(isJsonObject) : [];
}

/**
 * Reads the files of one document's items. Problems (missing, unreadable, not the expected kind of
 * file) are returned, one sentence each naming the field and the file; the files read are too.
 */
export async function readAttachments(descriptor: KindDescriptor, name: string, spec: JsonObject, configDir: string, rootDir: string): Promise<{ files: AttachmentFile[]; problems: string[] }> {
  const attachments = descriptor.attachments;
  const files: AttachmentFile[] = [];
  const problems: string[] = [];
  if (!attachments) return { files, problems };
  const document = relative(rootDir, join(configDir, descriptor.kind, `${name}.yaml`));
  const list = items(spec, attachments);
  for (const [index, item] of list.entries()) {
    const field = `spec.${attachments.property}[${index}]`;
    const key = item[attachments.nameBy];
    if (typeof key !== "string" || key === "" || /[/\\]|^\.\.?$/.test(key)) {
      problems.push(`${document}: ${field}.${attachments.nameBy}: needed to name the item's file (${name}.<${attachments.nameBy}>.${attachments.extension})`);
      continue;
    }
    const absolute = attachmentPath(configDir, descriptor.kind, name, attachments, key);
    const shown = relative(rootDir, absolute);
    let bytes: Buffer;
    try {
      bytes = await readFile(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      problems.push(`${document}: ${field}: ${shown} ${code === "ENOENT" ? "does not exist" : `cannot be read (${code})`}: Graph creates a ${descriptor.title} only with its file, which Graph never returns, so it is kept beside the document`);
      continue;
    }
    if (!bytes.subarray(0, attachments.magic.length).equals(Buffer.from(attachments.magic, "latin1"))) {
      problems.push(`${document}: ${field}: ${shown} is not a ${attachments.extension.toUpperCase()} file (it does not start with ${attachments.magic})`);
      continue;
    }
    files.push({ index, key, path: shown, bytes, sha256: createHash("sha256").update(bytes).digest("hex") });
  }
  return { files, problems };
}

/** The plan's note for one file: which file a create sends, its size and digest. */
export function attachmentNote(descriptor: KindDescriptor, file: AttachmentFile): string {
  const attachments = descriptor.attachments as Attachments;
  return `${attachments.property}[${attachments.nameBy}=${file.key}] is created from ${file.path} (${file.bytes.length} bytes, sha256 ${file.sha256})`;
}

/** The create body with each item's content, base64-encoded, at the kind's `contentPath`. */
export function withAttachmentContent(descriptor: KindDescriptor, body: JsonObject, files: readonly AttachmentFile[]): JsonObject {
  const attachments = descriptor.attachments;
  if (!attachments) return body;
  const byKey = new Map(files.map((f) => [f.key, f]));
  const list = body[attachments.property];
  if (!Array.isArray(list)) return body;
  const segments = attachments.contentPath.split(".");
  const withContent = list.map((item): JsonValue => {
    if (!isJsonObject(item)) return item;
    const file = byKey.get(String(item[attachments.nameBy]));
    if (!file) return item;
    return setAt(item, segments, file.bytes.toString("base64"));
  });
  return { ...body, [attachments.property]: withContent };
}

function setAt(target: JsonObject, segments: readonly string[], value: string): JsonObject {
  const [head, ...rest] = segments;
  if (head === undefined) return target;
  if (rest.length === 0) return { ...target, [head]: value };
  const child = target[head];
  return { ...target, [head]: setAt(isJsonObject(child) ? child : {}, rest, value) };
}
