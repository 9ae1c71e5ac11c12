/**
 * ajv errors → diagnostics a person can act on: the field path, its file:line:column, and what was
 * expected, in Graph's words (`unknown property (did you mean includeGroups?)`,
 * `must be one of enabled, disabled, enabledForReportingButNotEnforced`).
 */
import type { ErrorObject } from "ajv";
import type { Diagnostic, SourcedDocument } from "../model/document.js";
import { isBetaProperty } from "../kinds/beta-properties.js";
import { referenceKeyOf } from "../kinds/registry.js";

type Segment = string | number;

/** Properties that carry credential values: named as such when they appear in a document. */
const SECRET_PROPERTIES: ReadonlySet<string> = new Set(["secretText", "key", "password", "hashedSecret", "clientSecret"]);

export function pointerToSegments(pointer: string, data: unknown): Segment[] {
  if (pointer === "") return [];
  const segments: Segment[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const segment: Segment = Array.isArray(node) && /^\d+$/.test(key) ? Number(key) : key;
    segments.push(segment);
    node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[String(segment)] : undefined;
  }
  return segments;
}

export function formatPath(segments: readonly Segment[]): string {
  let out = "";
  for (const s of segments) out += typeof s === "number" ? `[${s}]` : out === "" ? s : `.${s}`;
  return out;
}

function list(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ");
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      prev = current;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest known name, if it is close enough to be a typo. */
export function suggest(unknown: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(unknown, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  // A typo keeps the length within two letters; a longer or shorter name (`agentIdServicePrincipalFilter`
  // next to `servicePrincipalFilter`) is another property, not a misspelling of this one.
  if (best === undefined || Math.abs(best.length - unknown.length) > 2) return undefined;
  return bestDistance <= Math.max(2, Math.floor(unknown.length / 4)) ? best : undefined;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `a ${typeof value}`;
}

function schemaOf(error: ErrorObject): Record<string, unknown> {
  return (error.parentSchema ?? {}) as Record<string, unknown>;
}

/** One sentence for an ajv error, or undefined for errors that only summarize others. */
function describe(error: ErrorObject): { message: string; extra?: Segment; atKey?: boolean } | undefined {
  const schema = schemaOf(error);
  switch (error.keyword) {
    case "additionalProperties": {
      const name = String(error.params.additionalProperty);
      if (SECRET_PROPERTIES.has(name)) return { message: "a credential value: documents never hold secrets (export keeps credential metadata only)", extra: name, atKey: true };
      const known = Object.keys((schema.properties ?? {}) as object).filter((k) => k !== "@odata.type");
      const guess = suggest(name, known);
      const message = guess ? `unknown property (did you mean ${guess}?)` : `unknown property; expected one of: ${list(known)}`;
      return { message, extra: name, atKey: true };
    }
    case "enum":
      return { message: `must be one of ${list((error.params.allowedValues as unknown[]).filter((v) => v !== null))}` };
    case "const":
      return { message: `must be ${JSON.stringify(error.params.allowedValue)}` };
    case "required":
      return { message: `missing required property ${String(error.params.missingProperty)}` };
    case "type":
      return { message: `must be ${String(error.params.type).replace(/,/g, " or ")}, not ${typeOf(error.data)}` };
    case "pattern": {
      const flags = schema["x-flags"];
      if (Array.isArray(flags)) return { message: `must be one or more of ${list(flags)}, comma-separated` };
      const reference = schema["x-reference"] as { targets: string[]; sentinels: string[] } | undefined;
      if (reference) {
        const forms = reference.targets.map((t) => `${t}:<${t === "role" ? "display name" : (referenceKeyOf(t)?.key ?? "name")}>`);
        const sentinels = reference.sentinels.length > 0 ? `, or one of ${list(reference.sentinels)}` : "";
        const id = reference.targets.includes("authenticationContext") ? "an authentication context id (c1 … c99)" : "a GUID";
        return { message: `${JSON.stringify(error.data)} is not a reference: expected ${forms.join(" or ")}, ${id}${sentinels}` };
      }
      return { message: `${JSON.stringify(error.data)} does not match ${String(error.params.pattern)}` };
    }
    case "discriminator": {
      if (error.params.error === "mapping") {
        const variants = ((schema.oneOf ?? []) as Array<{ properties?: Record<string, { const?: string }> }>).map((v) => v.properties?.["@odata.type"]?.const);
        return { message: `@odata.type must be one of ${list(variants.filter((v) => v !== undefined))}`, extra: "@odata.type" };
      }
      return { message: "missing @odata.type (Graph needs it to tell the subtypes apart)" };
    }
    case "anyOf":
    case "oneOf":
    case "if":
      return undefined;
    default:
      return { message: error.message ?? error.keyword };
  }
}

/** What to say about a beta-only property in a kind managed through v1.0, and how to manage it. */
export function betaPropertyMessage(kind: string): string {
  return `a Graph beta property; ${kind} is managed through Graph v1.0, which does not have it. To manage it, set graphVersion: { ${kind}: beta } in entra-gitops.yaml`;
}

/** Diagnostics for one document's ajv errors, positioned in its source file. */
export function schemaDiagnostics(doc: SourcedDocument, data: unknown, errors: readonly ErrorObject[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  const meaningful = errors.filter(
    (e) =>
      !(e.keyword === "type" && /\/anyOf\/1\/type$/.test(e.schemaPath)) &&
      // The discriminator reports a missing or unknown @odata.type in one sentence.
      !(e.keyword === "required" && e.params.missingProperty === "@odata.type" && errors.some((d) => d.keyword === "discriminator" && d.instancePath === e.instancePath)) &&
      !(e.keyword === "enum" && e.instancePath.endsWith("/@odata.type") && errors.some((d) => d.keyword === "discriminator")),
  );
  for (const error of meaningful) {
    const described = describe(error);
    if (!described) continue;
    const base = pointerToSegments(error.instancePath, data);
    const segments = described.extra === undefined ? base : [...base, described.extra];
    const path = formatPath(segments);
    const key = `${path}\u0000${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let message = described.message;
    if (error.keyword === "additionalProperties") {
      const specPath = segments.slice(1).filter((s) => typeof s === "string").join(".");
      if (segments[0] === "spec" && isBetaProperty(doc.kind, specPath)) {
        message = betaPropertyMessage(doc.kind);
      }
    }
    const position = doc.positionOf(segments, described.atKey ? "key" : "value") ?? doc.positionOf(base) ?? { line: 1, column: 1 };
    out.push({ severity: "error", file: doc.file, line: position.line, column: position.column, path, message });
  }
  return out;
}
