/**
 * The documents as one environment sees them (README "Several tenants"): documents restricted to
 * other environments (`environments: [test]`) set aside, and `${name}` in every spec string
 * replaced by the environment's vars. Pure; every problem is a diagnostic at its file and field.
 */
import { address } from "../model/kind.js";
import { substitute } from "../config/variables.js";
import type { Vars } from "../config/variables.js";
import type { Diagnostic, EntraDocument, JsonObject, JsonValue, RenderedFrom, SourcedDocument } from "../model/document.js";

export interface EnvironmentView {
  /** The chosen environment; undefined when the configuration names none. */
  name?: string;
  vars: Vars;
  /** Every environment the configuration defines. */
  known: readonly string[];
}

export interface EnvironmentDocuments<T extends EntraDocument> {
  /** The environment's documents, rendered. */
  documents: T[];
  /** Documents of other environments only, as written. */
  excluded: T[];
  diagnostics: Diagnostic[];
  /** Per address, each rendered string that came from a template → the template (for export). */
  templates: Map<string, Map<string, string>>;
}

/** True when the document exists in the environment (no `environments:` list, or one naming it). */
export function inEnvironment(doc: Pick<EntraDocument, "environments">, environment: string | undefined): boolean {
  if (doc.environments === undefined) return true;
  return environment !== undefined && doc.environments.includes(environment);
}

export function renderForEnvironment<T extends EntraDocument>(documents: readonly T[], view: EnvironmentView): EnvironmentDocuments<T> {
  const result: EnvironmentDocuments<T> = { documents: [], excluded: [], diagnostics: [], templates: new Map() };
  for (const doc of documents) {
    const sourced = "file" in doc ? (doc as unknown as SourcedDocument) : undefined;
    const report = (path: (string | number)[], message: string): void => {
      const pos = sourced?.positionOf(path);
      result.diagnostics.push({ severity: "error", ...(sourced ? { file: sourced.file } : {}), ...(pos ?? {}), path: dotted(path), message });
    };
    for (const [i, name] of (doc.environments ?? []).entries()) {
      if (!view.known.includes(name)) {
        const known = view.known.length > 0 ? view.known.join(", ") : "none defined";
        report(["environments", i], `environment "${name}" is not defined in the configuration (environments: ${known})`);
      }
    }
    if (!inEnvironment(doc, view.name)) {
      result.excluded.push(doc);
      continue;
    }
    const templates = new Map<string, string>();
    const byPath = new Map<string, string>();
    const spec = renderValue(doc.spec, ["spec"], view, templates, report, byPath) as JsonObject;
    if (templates.size > 0) result.templates.set(address(doc.kind, doc.name), templates);
    if (templates.size === 0) {
      result.documents.push(doc);
      continue;
    }
    // A problem found later in a rendered value (a reference the tenant lacks) names its template.
    const environment = view.name;
    const templateOf = (path: string): RenderedFrom | undefined => {
      const template = byPath.get(path);
      return template === undefined ? undefined : { template, ...(environment !== undefined ? { environment } : {}) };
    };
    result.documents.push(sourced ? { ...doc, spec, templateOf } : { ...doc, spec });
  }
  return result;
}

function renderValue(
  value: JsonValue,
  path: (string | number)[],
  view: EnvironmentView,
  templates: Map<string, string>,
  report: (path: (string | number)[], message: string) => void,
  byPath: Map<string, string>,
): JsonValue {
  if (typeof value === "string") {
    if (!value.includes("${")) return value;
    const rendered = substitute(value, view.vars);
    if (!rendered.ok) {
      const where = view.name === undefined ? "with no environment chosen" : `in environment "${view.name}"`;
      report(path, `${rendered.problems.join("; ")} ${where}: define it under vars: or environments.${view.name ?? "<name>"}.vars: in entra-gitops.yaml`);
      return value;
    }
    templates.set(rendered.value, value);
    if (rendered.value !== value) byPath.set(dotted(path), value);
    return rendered.value;
  }
  if (Array.isArray(value)) return value.map((item, i) => renderValue(item, [...path, i], view, templates, report, byPath));
  if (value === null || typeof value !== "object") return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) out[key] = renderValue(item, [...path, key], view, templates, report, byPath);
  return out;
}

/**
 * The reverse, for export and sync: a live value equal to what a template of the existing document
 * rendered to is written as the template again, so an environment's values never replace the
 * shared document's variables.
 */
export function retemplate(spec: JsonObject, templates: ReadonlyMap<string, string> | undefined): JsonObject {
  if (!templates || templates.size === 0) return spec;
  const walk = (value: JsonValue): JsonValue => {
    if (typeof value === "string") return templates.get(value) ?? value;
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== "object") return value;
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) out[key] = walk(item);
    return out;
  };
  return walk(spec) as JsonObject;
}

/**
 * ` (rendered from "${x}" in environment "prod": check variable x in entra-gitops.yaml)`, appended
 * to a problem found in a rendered value so it names the variable; nothing for a value written as is.
 */
export function renderedNote(from: RenderedFrom | undefined): string {
  if (!from) return "";
  const names = [...from.template.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] as string);
  const vars = names.length === 1 ? `variable ${names[0] as string}` : `variables ${names.join(", ")}`;
  const where = from.environment === undefined ? "" : ` in environment "${from.environment}"`;
  return ` (rendered from "${from.template}"${where}: check ${vars} in entra-gitops.yaml)`;
}

/** The diagnostics of rendered documents, each about a rendered field naming its template. */
export function withRenderedNotes(diagnostics: readonly Diagnostic[], documents: readonly EntraDocument[]): Diagnostic[] {
  const byFile = new Map<string, SourcedDocument>();
  for (const doc of documents) if ("file" in doc && typeof (doc as SourcedDocument).templateOf === "function") byFile.set((doc as SourcedDocument).file, doc as SourcedDocument);
  if (byFile.size === 0) return [...diagnostics];
  return diagnostics.map((d) => {
    const from = d.file !== undefined && d.path !== undefined ? byFile.get(d.file)?.templateOf?.(d.path) : undefined;
    return from ? { ...d, message: `${d.message}${renderedNote(from)}` } : d;
  });
}

function dotted(path: readonly (string | number)[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

/** The view of a resolved configuration's chosen environment. */
export function environmentView(config: { environment?: { name: string }; vars: Vars; environmentNames: readonly string[] }): EnvironmentView {
  return { ...(config.environment ? { name: config.environment.name } : {}), vars: config.vars, known: config.environmentNames };
}
