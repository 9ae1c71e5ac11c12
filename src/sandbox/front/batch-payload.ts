/**
 * Validation of a JSON `$batch` payload (docs/graph-behaviour.md §3): at most 20 requests, ids unique
 * case-insensitively, `Content-Type` among the headers of an item with a body, `dependsOn` naming
 * other items of the batch without cycles. Any violation fails the whole batch with 400.
 */
import { isRecord } from "./graph-errors.js";

export const MAX_BATCH_REQUESTS = 20;

export interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

export type BatchParse = { ok: true; items: BatchItem[] } | { ok: false; message: string };

export function parseBatchPayload(payload: unknown): BatchParse {
  if (!isRecord(payload) || !Array.isArray(payload.requests)) return { ok: false, message: "Invalid batch payload format." };
  const raw = payload.requests;
  if (raw.length === 0) return { ok: false, message: "Invalid batch payload format. The batch must contain at least one request." };
  if (raw.length > MAX_BATCH_REQUESTS) {
    return { ok: false, message: `Batch request contains ${raw.length} requests; the maximum is ${MAX_BATCH_REQUESTS}.` };
  }
  const items: BatchItem[] = [];
  const seen = new Set<string>();
  for (const entry of raw) {
    if (!isRecord(entry)) return { ok: false, message: "Invalid batch payload format." };
    const { id, method, url } = entry;
    if (typeof id !== "string" || id === "") return { ok: false, message: "Invalid batch payload format. Each request must have an 'id'." };
    if (typeof method !== "string" || method === "") return { ok: false, message: `Invalid batch payload format. Request '${id}' has no 'method'.` };
    if (typeof url !== "string" || url === "") return { ok: false, message: `Invalid batch payload format. Request '${id}' has no 'url'.` };
    const key = id.toLowerCase();
    if (seen.has(key)) return { ok: false, message: `Request id must be unique; '${id}' appears more than once.` };
    seen.add(key);
    const headers: Record<string, string> = {};
    if (entry.headers !== undefined) {
      if (!isRecord(entry.headers)) return { ok: false, message: `Invalid batch payload format. Request '${id}' has invalid 'headers'.` };
      for (const [name, value] of Object.entries(entry.headers)) {
        if (typeof value === "string") headers[name.toLowerCase()] = value;
        else if (typeof value === "number" || typeof value === "boolean") headers[name.toLowerCase()] = String(value);
      }
    }
    if (entry.body !== undefined && entry.body !== null && headers["content-type"] === undefined) {
      return { ok: false, message: `Write request id : ${id} does not contain Content-Type header or body.` };
    }
    let dependsOn: string[] = [];
    if (entry.dependsOn !== undefined) {
      if (!Array.isArray(entry.dependsOn) || !entry.dependsOn.every((d): d is string => typeof d === "string")) {
        return { ok: false, message: `Invalid batch payload format. Request '${id}' has invalid 'dependsOn'.` };
      }
      dependsOn = entry.dependsOn;
    }
    items.push({ id, method: method.toUpperCase(), url, headers, body: entry.body ?? undefined, dependsOn });
  }
  const byId = new Map(items.map((item) => [item.id.toLowerCase(), item]));
  for (const item of items) {
    for (const dep of item.dependsOn) {
      if (!byId.has(dep.toLowerCase())) return { ok: false, message: `Request '${item.id}' depends on unknown request '${dep}'.` };
      if (dep.toLowerCase() === item.id.toLowerCase()) return { ok: false, message: `Request '${item.id}' depends on itself.` };
    }
  }
  if (hasCycle(items, byId)) return { ok: false, message: "The dependsOn values of the batch form a cycle." };
  return { ok: true, items };
}

function hasCycle(items: readonly BatchItem[], byId: ReadonlyMap<string, BatchItem>): boolean {
  const state = new Map<string, "visiting" | "done">();
  const visit = (item: BatchItem): boolean => {
    const key = item.id.toLowerCase();
    const current = state.get(key);
    if (current === "done") return false;
    if (current === "visiting") return true;
    state.set(key, "visiting");
    for (const dep of item.dependsOn) {
      const next = byId.get(dep.toLowerCase());
      if (next && visit(next)) return true;
    }
    state.set(key, "done");
    return false;
  };
  return items.some((item) => visit(item));
}
