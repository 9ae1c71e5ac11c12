/** The `$filter` syntax tree. Property paths keep their segments, e.g. `initiatedBy/user/id`. */
export type Literal = string | number | boolean | null;

export type Operand =
  | { kind: "prop"; path: string[] }
  | { kind: "lit"; value: Literal; raw: string }
  | { kind: "call"; name: string; args: Operand[] };

export type ComparisonOp = "eq" | "ne" | "gt" | "ge" | "lt" | "le";

export type FilterExpr =
  | { kind: "and" | "or"; left: FilterExpr; right: FilterExpr }
  | { kind: "not"; expr: FilterExpr }
  | { kind: "cmp"; op: ComparisonOp; left: Operand; right: Operand }
  | { kind: "in"; left: Operand; values: Literal[] }
  | { kind: "fn"; name: "startswith" | "endswith" | "contains" | "isof"; args: Operand[] }
  | { kind: "lambda"; op: "any" | "all"; path: string[]; variable?: string; body?: FilterExpr }
  | { kind: "value"; operand: Operand };

/** Operators a resource may allow per property (for advanced-query and support checks). */
export type FilterOp =
  | "eq" | "ne" | "not" | "in" | "startsWith" | "endsWith" | "ge" | "le" | "gt" | "lt" | "any" | "all" | "contains";

/** One use of a property in a filter: which operator touched which property path. */
export interface PropertyUse {
  path: string;
  op: FilterOp;
  /** Inside an any/all lambda over `path` (the element itself, or a property of it). */
  inLambda?: boolean;
}
