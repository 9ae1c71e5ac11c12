/** What the front saw and answered, in order, for tests and benchmarks to assert on. */

export interface RequestLogEntry {
  /** 1, 2, 3, … in arrival order. */
  seq: number;
  kind: "identity" | "graph" | "batch" | "batch-item";
  method: string;
  /** Path without the query, e.g. `/v1.0/users` or `/{tenant}/oauth2/v2.0/token`. */
  path: string;
  /** The raw query string without `?` (empty when none). */
  query: string;
  status: number;
  /** appId for app tokens, the UPN for delegated tokens, the client id on the token endpoint. */
  principal?: string;
  /** Rejected by the throttling model (429). */
  throttled: boolean;
  /** An injected fault answered this request. */
  fault?: "status" | "reset";
  /** For `batch-item`: the batch's `seq` and the item's id. */
  batch?: { seq: number; id: string };
  /**
   * Token endpoint: how the client proved itself (`federated` = an external token such as the
   * GitHub Actions OIDC token). `federation`: that token's issuer and subject, also on a refused
   * federated assertion (then without `clientAuth`); on the GitHub issuer, the subject it issued.
   */
  clientAuth?: "secret" | "certificate" | "federated";
  federation?: { issuer: string; subject: string };
  /** The sandbox `request-id` header value. */
  requestId?: string;
}

export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];
  private nextSeq = 1;

  /** Reserves a sequence number (a batch takes its own before its items). */
  reserve(): number {
    return this.nextSeq++;
  }

  add(entry: Omit<RequestLogEntry, "seq">, seq = this.reserve()): RequestLogEntry {
    const full: RequestLogEntry = { seq, ...entry };
    this.entries.push(full);
    return full;
  }

  all(): readonly RequestLogEntry[] {
    return [...this.entries].sort((a, b) => a.seq - b.seq);
  }

  clear(): void {
    this.entries.length = 0;
  }
}
