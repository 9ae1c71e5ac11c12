/**
 * What every write of apply shares (ARCHITECTURE.md "Apply"): the gateway, the names known so far,
 * the retry options, and the two small helpers each write module uses.
 */
import type { GraphGateway } from "../../graph/types.js";
import type { KindDescriptor } from "../../kinds/types.js";
import type { DirectoryIndex } from "../snapshot/directory-index.js";
import type { RetryOptions } from "./replication.js";
import type { StreamSource } from "../streams.js";

export interface WriteContext {
  gateway: GraphGateway;
  index: DirectoryIndex;
  graphRoot: string;
  retry: RetryOptions;
  /** Ids and appIds created in this run (the same set as `retry.recentIds`). */
  created?: Set<string>;
  /** Where the documents live, for kinds whose create sends files kept beside them (`engine/attachments.ts`). */
  files?: { configDir: string; rootDir: string };
  /** Where stream files (branding images) are read from when not `files`' folder: a git revision's, a rollback's. */
  streams?: StreamSource;
  /** Lower-cased ids of the objects this apply deletes (a one-per-target link they hold may be released first). */
  deleting?: ReadonlySet<string>;
}

/** The retry options for a write that is safe to repeat (PATCH of absolute values, DELETE). */
export function repeatable(ctx: WriteContext): RetryOptions {
  return { ...ctx.retry, idempotent: true };
}

/** The request options of a write in the kind's API version. */
export function versionOf(descriptor: KindDescriptor): { version: KindDescriptor["apiVersion"] } {
  return { version: descriptor.apiVersion };
}
