/**
 * The front's request handler: identity endpoints under `/{tenant}/…`, Graph under `/v1.0/…` and
 * `/beta/…` (bearer token → Principal, JSON body, `$batch`, the dispatch pipeline), and Graph-style
 * errors for everything else. Every answer is recorded in the request log.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Principal } from "../types.js";
import { GRAPH_APP_ID } from "./access-tokens.js";
import type { TokenService } from "./access-tokens.js";
import { decodePath, principalName, runBatch } from "./batch.js";
import type { BatchContext } from "./batch.js";
import { dispatchGraph } from "./graph-dispatch.js";
import { graphErrorBody } from "./graph-errors.js";
import type { RequestIds } from "./graph-errors.js";
import { headerRecord, isBinaryContentType, readBody, readBodyBytes, writeResponse } from "./http-io.js";
import type { GitHubActionsIssuer } from "./github-actions-issuer.js";
import type { RequestLogEntry } from "./request-log.js";
import { handleIdentityRequest } from "./identity-endpoints.js";
import type { IdentityResponse } from "./identity-endpoints.js";

export interface RouterContext extends BatchContext {
  tokens: TokenService;
  origin: string;
  latencyMs: () => number;
  githubActions?: GitHubActionsIssuer;
}

const VERSION_PATH = /^\/(v1\.0|beta)(\/.*)?$/i;

export async function handleRequest(req: IncomingMessage, res: ServerResponse, ctx: RouterContext): Promise<void> {
  const requestId = randomUUID();
  const headers = headerRecord(req);
  const clientRequestId = headers["client-request-id"];
  const url = new URL(req.url ?? "/", ctx.origin);
  const method = (req.method ?? "GET").toUpperCase();
  const ids: RequestIds = { requestId, date: ctx.tenant.clock.now(), ...(clientRequestId ? { clientRequestId } : {}) };
  const common: Record<string, string> = { "request-id": requestId, "x-ms-ags-diagnostic": JSON.stringify({ ServerInfo: { DataCenter: "Sandbox", Slice: "E", Ring: "0", ScaleUnit: "000", RoleInstance: "sandbox" } }) };
  if (clientRequestId) common["client-request-id"] = clientRequestId;

  const version = VERSION_PATH.exec(url.pathname);
  const issued = version ? undefined : await ctx.githubActions?.handle(method, url, headers.authorization);
  if (issued) {
    writeResponse(res, issued.status, common, issued.body, "application/json; charset=utf-8");
    const federation = issued.subject && ctx.githubActions ? { federation: { issuer: ctx.githubActions.issuer, subject: issued.subject } } : {};
    ctx.log.add({ kind: "identity", method, path: url.pathname, query: url.search.slice(1), status: issued.status, throttled: false, requestId, ...federation });
    return;
  }
  if (!version) {
    const identity = await handleIdentityRequest(method, url.pathname, () => readBody(req), {
      tenant: ctx.tenant,
      tokens: ctx.tokens,
      origin: ctx.origin,
      ...(ctx.githubActions ? { federationIssuers: [ctx.githubActions] } : {}),
      ...(clientRequestId ? { correlationId: clientRequestId } : {}),
    });
    if (identity) {
      writeResponse(res, identity.status, { ...common, ...(identity.headers ?? {}) }, identity.body, "application/json; charset=utf-8");
      ctx.log.add({
        kind: "identity",
        method,
        path: url.pathname,
        query: url.search.slice(1),
        status: identity.status,
        throttled: false,
        requestId,
        ...(identity.clientId ? { principal: identity.clientId } : {}),
        ...clientAuthLog(identity),
      });
      return;
    }
    const body = graphErrorBody("BadRequest", "Invalid version.", ids);
    writeResponse(res, 400, common, body);
    ctx.log.add({ kind: "graph", method, path: url.pathname, query: url.search.slice(1), status: 400, throttled: false, requestId });
    return;
  }

  const apiVersion = (version[1] ?? "v1.0").toLowerCase() === "beta" ? "beta" : "v1.0";
  const path = decodePath(version[2] ?? "/");
  const seq = ctx.log.reserve();
  const logBase = { method, path: `/${apiVersion}${path}`, query: url.search.slice(1), requestId };
  const latency = ctx.latencyMs();
  if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));

  const auth = await authenticate(headers.authorization, ctx);
  if (!auth.ok) {
    const challenge = `Bearer realm="", authorization_uri="${ctx.origin}/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`;
    writeResponse(res, 401, { ...common, "WWW-Authenticate": challenge }, graphErrorBody("InvalidAuthenticationToken", auth.message, ids));
    ctx.log.add({ kind: "graph", ...logBase, status: 401, throttled: false }, seq);
    return;
  }
  const principal: Principal = { ...auth.principal, ...(req.socket.remoteAddress ? { ipAddress: req.socket.remoteAddress } : {}) };

  const bytes = await readBodyBytes(req);
  const text = bytes.toString("utf8");
  let body: unknown;
  // A stream property's content (an image, a style sheet) reaches the tenant as bytes.
  if (isBinaryContentType(headers["content-type"])) body = bytes;
  else if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      const message = "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.";
      writeResponse(res, 400, common, graphErrorBody("BadRequest", message, ids));
      ctx.log.add({ kind: "graph", ...logBase, status: 400, principal: principalName(principal), throttled: false }, seq);
      return;
    }
  }
  const serviceRoot = `${ctx.origin}/${apiVersion}`;

  if (path.toLowerCase() === "/$batch") {
    if (method !== "POST") {
      writeResponse(res, 405, common, graphErrorBody("BadRequest", "The $batch endpoint accepts POST only.", ids));
      ctx.log.add({ kind: "batch", ...logBase, status: 405, principal: principalName(principal), throttled: false }, seq);
      return;
    }
    const outcome = await runBatch({ version: apiVersion, payload: body, principal, serviceRoot, ids, seq }, ctx);
    writeResponse(res, outcome.status, common, outcome.body, "application/json; charset=utf-8");
    ctx.log.add({ kind: "batch", ...logBase, status: outcome.status, principal: principalName(principal), throttled: false }, seq);
    return;
  }

  // The tenant gets the caller as a Principal, never the bearer token itself.
  const { authorization: _token, ...forwarded } = headers;
  const result = await dispatchGraph(
    { method, version: apiVersion, path, query: url.searchParams, headers: forwarded, body, principal, serviceRoot, requestId, allowReset: true, ...(clientRequestId ? { clientRequestId } : {}) },
    ctx,
  );
  ctx.log.add({ kind: "graph", ...logBase, status: result.status, principal: principalName(principal), throttled: result.throttled, ...(result.fault ? { fault: result.fault } : {}) }, seq);
  if (result.fault === "reset") {
    req.socket.destroy();
    return;
  }
  writeResponse(res, result.status, { ...common, ...result.headers }, result.body);
}

function clientAuthLog(identity: IdentityResponse): Pick<RequestLogEntry, "clientAuth" | "federation"> {
  const auth = identity.clientAuth;
  if (identity.refusedFederation) return { federation: identity.refusedFederation };
  if (!auth || auth.method === "none") return {};
  if (auth.method === "federated") return { clientAuth: "federated", federation: { issuer: auth.issuer, subject: auth.subject } };
  return { clientAuth: auth.method };
}

async function authenticate(header: string | undefined, ctx: RouterContext): Promise<{ ok: true; principal: Principal } | { ok: false; message: string }> {
  const match = /^Bearer\s+(.*)$/i.exec(header ?? "");
  const token = match?.[1]?.trim() ?? "";
  return ctx.tokens.verify(token, ctx.tenant.tenantId, ctx.tenant.clock.now());
}
