import type { JsonObject, JsonValue } from "../model/document.js";
import type { CredentialAuthProvider } from "./auth-provider.js";
import { batchSend, type BatchDeps, type BatchOptions } from "./batch.js";
import type { GraphEndpoint } from "./cloud.js";
import type { GraphHttp } from "./http.js";
import { collectDelta } from "./delta.js";
import { collectPages } from "./paging.js";
import type { BatchGet, BatchRequest, BatchResult, DeltaResult, GatewayStats, GraphGateway, RequestOptions } from "./types.js";
import { identityFromToken, type Identity } from "./who-am-i.js";
import { TENANT_ID_IN_PATH } from "./tenant-path.js";

/** The gateway over one Graph client (docs/design.md §7): the only code in the engine that talks HTTP. */
export class ClientGateway implements GraphGateway {
  /** The signed-in tenant's id, read once from the token (see `resolve`). */
  private tenantId: Promise<string> | undefined;

  constructor(
    private readonly http: GraphHttp,
    private readonly auth: CredentialAuthProvider,
    private readonly batchDeps: BatchDeps,
    readonly stats: GatewayStats,
    readonly endpoint: GraphEndpoint,
    /** How the gateway signs in, for logs (never a secret). */
    readonly credentialDescription: string,
  ) {}

  /** The URL of a path, `{tenantId}` (`TENANT_ID_IN_PATH`) replaced by the signed-in tenant's id from the token. */
  private async resolve(path: string, options?: RequestOptions): Promise<string> {
    if (!path.includes(TENANT_ID_IN_PATH)) return this.http.url(path, options);
    this.tenantId ??= this.whoAmI().then((who) => who.tenantId);
    return this.http.url(path.replaceAll(TENANT_ID_IN_PATH, encodeURIComponent(await this.tenantId)), options);
  }

  async list(path: string, options?: RequestOptions): Promise<JsonObject[]> {
    return collectPages(this.http, await this.resolve(path, options), options?.headers);
  }

  async get(path: string, options?: RequestOptions): Promise<JsonObject | undefined> {
    const result = await this.http.send("GET", await this.resolve(path, options), { headers: options?.headers, allow: [404] });
    if (result.status === 404) return undefined;
    return asObject(result.body);
  }

  async post(path: string, body: JsonValue, options?: RequestOptions): Promise<JsonObject> {
    const result = await this.http.send("POST", await this.resolve(path, options), { body, headers: options?.headers });
    return asObject(result.body) ?? {};
  }

  async patch(path: string, body: JsonObject, options?: RequestOptions): Promise<void> {
    await this.http.send("PATCH", await this.resolve(path, options), { body, headers: options?.headers });
  }

  async put(path: string, body: JsonObject, options?: RequestOptions): Promise<JsonObject | undefined> {
    const result = await this.http.send("PUT", await this.resolve(path, options), { body, headers: options?.headers });
    return asObject(result.body);
  }

  async getStream(path: string, options?: RequestOptions): Promise<{ bytes: Buffer; contentType: string } | undefined> {
    const result = await this.http.sendBytes("GET", await this.resolve(path, options), { headers: options?.headers, allow: [404] });
    if (result.status === 404 || result.bytes.length === 0) return undefined;
    return { bytes: result.bytes, contentType: result.headers.get("content-type") ?? "application/octet-stream" };
  }

  async putStream(path: string, bytes: Buffer, contentType: string, options?: RequestOptions): Promise<void> {
    await this.http.sendBytes("PUT", await this.resolve(path, options), { bytes, headers: { ...options?.headers, "Content-Type": contentType } });
  }

  async delete(path: string, options?: RequestOptions & { ignoreMissing?: boolean }): Promise<void> {
    await this.http.send("DELETE", await this.resolve(path, options), {
      headers: options?.headers,
      allow: options?.ignoreMissing ? [404] : [],
    });
  }

  /**
   * A delta round: `pathOrLink` is the first query (e.g. `/groups/delta` with `$select`) or a
   * deltaLink saved from the previous round (then `options.query` must be empty).
   */
  delta(pathOrLink: string, options?: RequestOptions): Promise<DeltaResult> {
    return collectDelta(this.http, this.http.url(pathOrLink, options), options?.headers);
  }

  /**
   * `GET {collection}/$count` (an advanced query: `ConsistencyLevel: eventual` is sent), e.g. for
   * progress. `$filter`/`$search` may be given in `options.query`.
   */
  async count(collectionPath: string, options?: RequestOptions): Promise<number> {
    const headers = { ConsistencyLevel: "eventual", ...options?.headers };
    const result = await this.http.send("GET", this.http.url(`${collectionPath}/$count`, options), { headers });
    const n = typeof result.body === "number" ? result.body : Number(result.body);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${collectionPath}/$count did not answer a count`);
    return n;
  }

  batchGet(requests: readonly BatchGet[], options?: BatchOptions): Promise<Map<string, BatchResult>> {
    return batchSend(this.batchDeps, requests, options);
  }

  batch(requests: readonly BatchRequest[]): Promise<Map<string, BatchResult>> {
    return batchSend(this.batchDeps, requests);
  }

  async whoAmI(): Promise<Identity> {
    return identityFromToken((await this.auth.token()).token);
  }
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
}
