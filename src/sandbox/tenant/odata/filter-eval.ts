import { badRequest } from "../core/errors.js";
import { isRecord } from "../core/entity.js";
import type { FilterExpr, Literal, Operand, PropertyUse } from "./filter-ast.js";

type Scope = Record<string, unknown>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T|$)/;

function typeMatches(entity: unknown, castName: string): boolean {
  if (!isRecord(entity)) return false;
  const type = entity["@odata.type"];
  return typeof type === "string" && type.replace(/^#/, "").toLowerCase() === castName.toLowerCase();
}

/** Resolve a property path against an object; a `microsoft.graph.x` segment is a type cast. */
export function resolvePath(root: unknown, path: readonly string[], scope: Scope = {}): unknown {
  let current: unknown = root;
  let segments = path;
  const first = path[0];
  if (first !== undefined && Object.hasOwn(scope, first)) {
    current = scope[first];
    segments = path.slice(1);
  }
  for (const segment of segments) {
    if (segment.startsWith("microsoft.graph.")) {
      if (!typeMatches(current, segment)) return undefined;
      continue;
    }
    if (segment === "$count") {
      return Array.isArray(current) ? current.length : 0;
    }
    if (!isRecord(current)) return undefined;
    const key = Object.keys(current).find((k) => k.toLowerCase() === segment.toLowerCase());
    current = key === undefined ? undefined : current[key];
  }
  return current;
}

function operandValue(operand: Operand, entity: unknown, scope: Scope): unknown {
  switch (operand.kind) {
    case "lit":
      return operand.value;
    case "prop":
      return resolvePath(entity, operand.path, scope);
    case "call":
      throw badRequest(`Invalid filter clause: unsupported function '${operand.name}'.`);
  }
}

function normalize(value: unknown): unknown {
  if (typeof value === "string") {
    if (ISO_DATE.test(value)) {
      const time = Date.parse(value);
      if (!Number.isNaN(time)) return time;
    }
    return value.toLowerCase();
  }
  return value;
}

function compare(a: unknown, b: unknown): number | undefined {
  const x = normalize(a);
  const y = normalize(b);
  if (x === undefined || y === undefined || x === null || y === null) return undefined;
  if (typeof x === "number" && typeof y === "number") return x - y;
  if (typeof x === "string" && typeof y === "string") return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === "boolean" && typeof y === "boolean") return x === y ? 0 : x ? 1 : -1;
  return undefined;
}

function equals(a: unknown, b: unknown): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  return compare(a, b) === 0;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value.toLowerCase() : undefined;
}

/** Evaluate a parsed filter against one object (Graph compares strings case-insensitively). */
export function evaluateFilter(expr: FilterExpr, entity: unknown, scope: Scope = {}): boolean {
  switch (expr.kind) {
    case "and":
      return evaluateFilter(expr.left, entity, scope) && evaluateFilter(expr.right, entity, scope);
    case "or":
      return evaluateFilter(expr.left, entity, scope) || evaluateFilter(expr.right, entity, scope);
    case "not":
      return !evaluateFilter(expr.expr, entity, scope);
    case "cmp": {
      const left = operandValue(expr.left, entity, scope);
      const right = operandValue(expr.right, entity, scope);
      if (expr.op === "eq") return equals(left, right);
      if (expr.op === "ne") return !equals(left, right);
      const order = compare(left, right);
      if (order === undefined) return false;
      return expr.op === "gt" ? order > 0 : expr.op === "ge" ? order >= 0 : expr.op === "lt" ? order < 0 : order <= 0;
    }
    case "in": {
      const left = operandValue(expr.left, entity, scope);
      return expr.values.some((v: Literal) => equals(left, v));
    }
    case "fn": {
      if (expr.name === "isof") {
        const arg = expr.args[expr.args.length - 1];
        const target = expr.args.length === 2 ? operandValue(expr.args[0] ?? { kind: "lit", value: null, raw: "" }, entity, scope) : entity;
        return arg?.kind === "lit" && typeof arg.value === "string" && typeMatches(target, arg.value);
      }
      const [a, b] = expr.args;
      if (!a || !b) throw badRequest("Invalid filter clause: missing argument.");
      const hay = text(operandValue(a, entity, scope));
      const needle = text(operandValue(b, entity, scope));
      if (hay === undefined || needle === undefined) return false;
      if (expr.name === "startswith") return hay.startsWith(needle);
      if (expr.name === "endswith") return hay.endsWith(needle);
      return hay.includes(needle);
    }
    case "lambda": {
      const collection = resolvePath(entity, expr.path, scope);
      const items = Array.isArray(collection) ? collection : [];
      if (!expr.body || !expr.variable) return expr.op === "any" ? items.length > 0 : true;
      const body = expr.body;
      const variable = expr.variable;
      const test = (item: unknown): boolean => evaluateFilter(body, entity, { ...scope, [variable]: item });
      return expr.op === "any" ? items.some(test) : items.every(test);
    }
    case "value": {
      const value = operandValue(expr.operand, entity, scope);
      return value === true;
    }
  }
}

function operandPath(operand: Operand, prefix: readonly string[], variables: ReadonlySet<string>): string | undefined {
  if (operand.kind !== "prop") return undefined;
  const [first, ...rest] = operand.path;
  if (first !== undefined && variables.has(first)) return [...prefix, ...rest].join("/") || prefix.join("/");
  return operand.path.join("/");
}

/** List which operator touches which property, for per-resource support and advanced-query checks. */
export function propertyUses(expr: FilterExpr, prefix: readonly string[] = [], variables: ReadonlySet<string> = new Set()): PropertyUse[] {
  switch (expr.kind) {
    case "and":
    case "or":
      return [...propertyUses(expr.left, prefix, variables), ...propertyUses(expr.right, prefix, variables)];
    case "not":
      return [{ path: firstPath(expr.expr, prefix, variables) ?? "", op: "not" }, ...propertyUses(expr.expr, prefix, variables)];
    case "cmp": {
      const path = operandPath(expr.left, prefix, variables) ?? operandPath(expr.right, prefix, variables) ?? "";
      return [{ path, op: expr.op }];
    }
    case "in":
      return [{ path: operandPath(expr.left, prefix, variables) ?? "", op: "in" }];
    case "fn": {
      if (expr.name === "isof") return [];
      const op = expr.name === "startswith" ? "startsWith" : expr.name === "endswith" ? "endsWith" : "contains";
      const first = expr.args[0];
      return [{ path: first ? operandPath(first, prefix, variables) ?? "" : "", op }];
    }
    case "lambda": {
      const path = expr.path.join("/");
      const own = { path, op: expr.op };
      if (!expr.body || !expr.variable) return [own];
      const inner = propertyUses(expr.body, expr.path, new Set([...variables, expr.variable])).map((u) => ({ ...u, inLambda: true }));
      return [own, ...inner];
    }
    case "value":
      return [];
  }
}

function firstPath(expr: FilterExpr, prefix: readonly string[], variables: ReadonlySet<string>): string | undefined {
  return propertyUses(expr, prefix, variables)[0]?.path;
}
