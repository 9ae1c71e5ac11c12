import type { JsonValue } from "../model/document.js";
import type { FieldChange, Plan, PlanChange } from "../model/plan.js";
import { redact, redactAt } from "./redact.js";

/** Keys written first, in this order, wherever they appear; all others follow sorted. */
const LEADING_KEYS = ["formatVersion", "action", "address", "kind", "name", "id", "op", "path", "severity", "guard", "code"];

/**
 * The plan artifact as JSON: stable key order (leading keys, then sorted), two-space indent,
 * trailing newline, secrets redacted (defence in depth; specs never carry them).
 */
export function renderJson(plan: Plan): string {
  const safe: Plan = { ...plan, changes: plan.changes.map(redactChange) };
  return `${stableStringify(safe as unknown as JsonValue, 2)}\n`;
}

function redactChange(change: PlanChange): PlanChange {
  switch (change.action) {
    case "noop":
      return change;
    case "create":
      return { ...change, after: redact(change.after) as typeof change.after };
    case "delete":
      return { ...change, before: redact(change.before) as typeof change.before };
    case "update":
      return { ...change, before: redact(change.before) as typeof change.before, after: redact(change.after) as typeof change.after, fields: change.fields.map(redactField) };
    case "restore":
      return {
        ...change,
        ...(change.before ? { before: redact(change.before) as typeof change.after } : {}),
        after: redact(change.after) as typeof change.after,
        fields: change.fields.map(redactField),
      };
  }
}

function redactField(field: FieldChange): FieldChange {
  const out: FieldChange = { ...field };
  if (field.before !== undefined) out.before = redactAt(field.path, field.before);
  if (field.after !== undefined) out.after = redactAt(field.path, field.after);
  return out;
}

function compareKeys(a: string, b: string): number {
  const ia = LEADING_KEYS.indexOf(a);
  const ib = LEADING_KEYS.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? Infinity : ia) - (ib === -1 ? Infinity : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON.stringify with a deterministic key order at every level. */
export function stableStringify(value: JsonValue, indent = 0): string {
  const order = (v: JsonValue): JsonValue => {
    if (Array.isArray(v)) return v.map(order);
    if (v === null || typeof v !== "object") return v;
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(v).sort(compareKeys)) {
      const child = v[key];
      if (child !== undefined) out[key] = order(child);
    }
    return out;
  };
  return JSON.stringify(order(value), null, indent);
}

/** Reads a plan written by `renderJson`; throws when the format version is not one this code knows. */
export function parsePlanJson(text: string): Plan {
  const parsed = JSON.parse(text) as { formatVersion?: unknown };
  if (parsed.formatVersion !== "1") throw new Error(`unsupported plan format version ${JSON.stringify(parsed.formatVersion)} (this entra-gitops reads version "1")`);
  return parsed as Plan;
}
