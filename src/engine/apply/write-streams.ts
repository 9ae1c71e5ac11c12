/**
 * Apply's stream PUTs (ARCHITECTURE.md "Kinds", `streams`): company branding images and CSS are
 * written at their own paths, from the files beside the document (`engine/streams.ts` reads and
 * checks them), after the object's create or update and before its delete.
 */
import type { GraphGateway } from "../../graph/types.js";
import type { JsonObject } from "../../model/document.js";
import type { KindDescriptor } from "../../kinds/types.js";
import { folderStreams, readStreamFiles, STREAM_CONTENT_TYPES, streamValue, type StreamFile, type StreamSource } from "../streams.js";
import type { WriteContext } from "./write-context.js";

/** Where the documents' stream files are read from: the run's source (a revision, a rollback), else the configuration folder. */
export function streamSourceOf(ctx: WriteContext): StreamSource | undefined {
  return ctx.streams ?? (ctx.files ? folderStreams(ctx.files.configDir, ctx.files.rootDir) : undefined);
}

/**
 * Apply: PUTs each stream whose value differs between `before` (the live object, absent for a
 * create) and `after` (the document): the file's bytes, checked against the digest the plan
 * showed, or nothing (an empty PUT) to remove it. Returns how many requests it sent.
 */
export async function writeStreams(
  gateway: GraphGateway,
  descriptor: KindDescriptor,
  source: StreamSource | undefined,
  id: string,
  name: string,
  after: JsonObject,
  before: JsonObject | undefined,
): Promise<number> {
  const streams = descriptor.streams;
  if (!streams) return 0;
  const changed = streams.properties.filter((s) => (after[s.property] ?? null) !== (before?.[s.property] ?? null));
  if (changed.length === 0) return 0;
  let read: Map<string, StreamFile> | undefined;
  let sent = 0;
  for (const stream of changed) {
    const wanted = after[stream.property];
    const path = streams.path(id, stream.property);
    if (typeof wanted !== "string") {
      await gateway.putStream(path, Buffer.alloc(0), STREAM_CONTENT_TYPES[stream.formats[0] ?? "png"], { version: descriptor.apiVersion });
      sent++;
      continue;
    }
    if (!source) throw new Error(`${descriptor.kind}/${name}: ${stream.property} is written from the file beside the document, and this run has no configuration folder to read it from`);
    if (!read) {
      const result = await readStreamFiles(descriptor, name, source);
      if (result.problems.length > 0) throw new Error(result.problems.join("; "));
      read = new Map(result.files.map((f) => [f.property, f]));
    }
    const file = read.get(stream.property);
    if (!file || streamValue(file.bytes) !== wanted) {
      throw new Error(`${descriptor.kind}/${name}: ${stream.property}: ${file ? `${file.path} changed` : "the file is gone"} since the plan (${wanted}); plan again`);
    }
    await gateway.putStream(path, file.bytes, STREAM_CONTENT_TYPES[file.format], { version: descriptor.apiVersion });
    sent++;
  }
  return sent;
}
