import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { requestMeta } from "./request-meta.js";
import type { GatewayStats } from "./types.js";

/**
 * First link of the chain: swaps in the exact URL the gateway built (an `@odata.nextLink` verbatim)
 * for the one the Graph client rebuilt from it, and sets the headers every request carries.
 */
export class ExactUrlMiddleware implements Middleware {
  private next?: Middleware;

  constructor(private readonly userAgent: string) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const meta = requestMeta(context);
    if (meta) context.request = meta.url;
    const options = (context.options ??= {});
    const headers = new Headers(options.headers as ConstructorParameters<typeof Headers>[0]);
    if (!headers.has("client-request-id")) headers.set("client-request-id", crypto.randomUUID());
    headers.set("User-Agent", this.userAgent);
    options.headers = Object.fromEntries(headers.entries());
    if (!this.next) throw new Error("ExactUrlMiddleware has no next middleware");
    await this.next.execute(context);
  }
}

/**
 * Last link of the chain: one HTTP attempt with `fetch` (injectable), counted in the stats. An
 * attempt that gets no response headers within `timeoutMs` is aborted as ETIMEDOUT (retried for
 * idempotent requests like a reset).
 */
export class FetchTransport implements Middleware {
  constructor(
    private readonly fetchImpl: typeof fetch,
    private readonly stats: GatewayStats,
    private readonly timeoutMs: number,
  ) {}

  async execute(context: Context): Promise<void> {
    this.stats.requests++;
    const url = typeof context.request === "string" ? context.request : (context.request as Request).url;
    const signal = AbortSignal.timeout(this.timeoutMs);
    const timedOut = (): Error =>
      Object.assign(new Error(`no response within ${Math.round(this.timeoutMs / 1000)} s`), { code: "ETIMEDOUT" });
    // Race the abort too, so a transport that ignores the signal cannot hang the gateway.
    const abort = new Promise<never>((_resolve, reject) =>
      signal.addEventListener("abort", () => reject(timedOut()), { once: true }),
    );
    abort.catch(() => undefined);
    try {
      context.response = await Promise.race([this.fetchImpl(url, { ...(context.options as RequestInit), signal }), abort]);
    } catch (error) {
      if (signal.aborted) throw timedOut();
      throw error;
    }
  }
}
