/**
 * Names of the files that hold a kind's stream properties beside its documents (company branding
 * images, `KindDescriptor.streams`): `<name>.<property>.<png|jpg|jpeg|css>`. Reading and checking
 * them is the engine's (`engine/streams.ts`); the configuration reader only needs to know they are
 * not documents.
 */
import type { KindDescriptor } from "./types.js";
import type { StreamProperty } from "./descriptor-write.js";

export type StreamFormat = StreamProperty["formats"][number];

const EXTENSIONS: Readonly<Record<string, StreamFormat>> = { png: "png", jpg: "jpeg", jpeg: "jpeg", css: "css" };

/** The extension export writes for a format. */
export const STREAM_EXTENSIONS: Readonly<Record<StreamFormat, string>> = { png: "png", jpeg: "jpg", css: "css" };

/** `<name>.<property>.<extension>` split, or undefined when the file is no stream file of the kind. */
export function streamFileOf(descriptor: KindDescriptor, file: string): { name: string; property: string; format: StreamFormat | undefined } | undefined {
  for (const stream of descriptor.streams?.properties ?? []) {
    const suffix = `.${stream.property}.`;
    const at = file.lastIndexOf(suffix);
    if (at <= 0) continue;
    const extension = file.slice(at + suffix.length);
    if (extension === "" || extension.includes(".")) continue;
    return { name: file.slice(0, at), property: stream.property, format: EXTENSIONS[extension.toLowerCase()] };
  }
  return undefined;
}

/** Whether a file in the kind's folder holds one of its stream properties (not a document). */
export function isStreamFileName(descriptor: KindDescriptor, file: string): boolean {
  return streamFileOf(descriptor, file) !== undefined;
}

/** A spec's value for a stream (`engine/streams.ts`): `sha256:<hex> (<size>)`. */
const STREAM_VALUE = /^sha256:([0-9a-f]{64}) \((.+)\)$/;

/** The value as plans print it: `sha256 9414554f3ec4… (8.1 KB)`; undefined for any other value. */
export function shortStreamValue(value: unknown): string | undefined {
  const match = typeof value === "string" ? STREAM_VALUE.exec(value) : null;
  return match ? `sha256 ${match[1]?.slice(0, 12)}… (${match[2]})` : undefined;
}
