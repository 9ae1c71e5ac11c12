import type { JsonObject, JsonValue } from "../model/document.js";

export type GraphVersion = "v1.0" | "beta";

export interface RequestOptions {
  version?: GraphVersion;
  /** Query options, e.g. { $select: "id,displayName", $filter: "..." }. */
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

/** Counters an export or apply prints in its summary. */
export interface GatewayStats {
  requests: number;
  retries: number;
  throttled: number;
  /** Milliseconds spent waiting before retries (throttling and transient errors). */
  waitedMs: number;
}

/** One round of a delta query (docs/graph-behaviour.md §7). */
export interface DeltaResult {
  /** Changed objects; removed ones carry `@removed: { reason: "changed" | "deleted" }`. Replays possible. */
  items: JsonObject[];
  /** Where the next round starts; absent only when `resync` is true. */
  deltaLink?: string;
  /** The delta token expired or was rejected: start over with a full delta query. */
  resync: boolean;
}

/** One request of a fan-out read done through `$batch`. */
export interface BatchGet {
  id: string;
  path: string;
  options?: RequestOptions;
}

/**
 * One request of a `$batch`: a GET by default, or a write (`$ref` add or removal, PATCH). A write
 * item that failed transiently (500/502/504) is sent again only when `idempotent` says repeating it
 * is harmless.
 */
export interface BatchRequest extends BatchGet {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  body?: JsonValue;
  idempotent?: boolean;
}

export type BatchResult =
  | { id: string; ok: true; value: JsonValue }
  | { id: string; ok: false; status: number; code: string; message: string };

/**
 * The one Graph gateway (docs/design.md §7): the only code in the engine that talks HTTP. Paths are
 * relative to the version root, e.g. `/identity/conditionalAccess/policies`.
 */
export interface GraphGateway {
  /** GET a collection, following every `@odata.nextLink`. */
  list(path: string, options?: RequestOptions): Promise<JsonObject[]>;
  /** GET one object; `undefined` on 404. */
  get(path: string, options?: RequestOptions): Promise<JsonObject | undefined>;
  /** POST; returns the created object (or the action's response body, `{}` on 204). */
  post(path: string, body: JsonValue, options?: RequestOptions): Promise<JsonObject>;
  /** PATCH; Graph answers 204. */
  patch(path: string, body: JsonObject, options?: RequestOptions): Promise<void>;
  /** PUT (used by a few singletons and relationships). */
  put(path: string, body: JsonObject, options?: RequestOptions): Promise<JsonObject | undefined>;
  /**
   * GET a stream property's content (a company branding image): its bytes and Content-Type;
   * `undefined` on 404 or an empty answer (no content).
   */
  getStream(path: string, options?: RequestOptions): Promise<{ bytes: Buffer; contentType: string } | undefined>;
  /** PUT a stream property's content with its Content-Type; empty bytes remove it (docs/graph-behaviour.md). */
  putStream(path: string, bytes: Buffer, contentType: string, options?: RequestOptions): Promise<void>;
  /** DELETE; a 404 is an error unless `ignoreMissing`. */
  delete(path: string, options?: RequestOptions & { ignoreMissing?: boolean }): Promise<void>;
  /**
   * A delta round (users, groups, applications, servicePrincipals, administrativeUnits): from the
   * first query or a saved deltaLink to the next deltaLink; `resync` when the token is no longer valid.
   */
  delta(pathOrLink: string, options?: RequestOptions): Promise<DeltaResult>;
  /**
   * Many GETs through `$batch` (20 per batch), retrying throttled items; results by id, and each
   * one to `options.onResult` as soon as it is final.
   */
  batchGet(requests: readonly BatchGet[], options?: { onResult?: (result: BatchResult) => void }): Promise<Map<string, BatchResult>>;
  /**
   * Any requests through `$batch` (20 per batch): each item's own answer by id, throttled items
   * retried; a write item's failure is its result (the other items are not affected).
   */
  batch(requests: readonly BatchRequest[]): Promise<Map<string, BatchResult>>;
  readonly stats: GatewayStats;
  /** The tenant id and the identity behind the token, read from its claims. */
  whoAmI(): Promise<{ tenantId: string; appId?: string; userPrincipalName?: string; roles: string[]; scopes: string[]; objectId?: string; type?: "app" | "user" }>;
}
