import type { Kind } from "./kind.js";

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/**
 * One object, one YAML file (docs/design.md §2). `spec` holds Graph property names and values, with
 * references written as names (`group:<name>`, `role:<display name>`, `user:<upn>`, ...).
 */
export interface EntraDocument {
  kind: Kind;
  /** Stable key within the kind; also the file name (`<name>.yaml`). */
  name: string;
  /** Object id in the tenant it was exported from, when known. */
  id?: string;
  /**
   * The environments this object exists in (`environments: [test]`); absent: every environment.
   * README "Several tenants".
   */
  environments?: string[];
  spec: JsonObject;
}

/** A position in a source file, 1-based. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A document read from disk: it knows its file and where each field stands in it. */
export interface SourcedDocument extends EntraDocument {
  file: string;
  /**
   * Position of a field by its path from the document root, e.g. ["spec", "conditions", "users"]:
   * of its value (default) or of its key (`"key"`, where an unknown property is reported).
   */
  positionOf(path: readonly (string | number)[], which?: "key" | "value"): SourcePosition | undefined;
  /**
   * Set on a document rendered for an environment (documents/environment-view.ts): the template a
   * string field came from, by its dotted path (`spec.conditions.users.excludeGroups[0]`), so a
   * problem with the rendered value names the variable.
   */
  templateOf?(path: string): RenderedFrom | undefined;
}

/** Where a rendered value came from: its `${name}` template, in which environment. */
export interface RenderedFrom {
  template: string;
  /** The environment whose vars rendered it; absent when the configuration names none. */
  environment?: string;
}

/** One problem found in the input: what a user needs to find and fix it. */
export interface Diagnostic {
  severity: "error" | "warning";
  file?: string;
  line?: number;
  column?: number;
  /** Field path, e.g. `spec.conditions.users.includeGroups[0]`. */
  path?: string;
  message: string;
}
