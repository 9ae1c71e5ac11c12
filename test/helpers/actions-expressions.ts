/**
 * A small, explicit evaluator for the GitHub Actions `${{ }}` expressions the workflow templates
 * use: context paths (`matrix.environment`, `steps.plan.outputs.exitcode`, `inputs.node-version`),
 * string literals, `==` / `!=` (GitHub compares strings case-insensitively), `||` / `&&` (which
 * return an operand, as GitHub's do), `!` and `always()` (true; the runner runs such a job whatever
 * its needs concluded). Anything else — another function call such as `contains(...)` or
 * `fromJSON(...)` (a generated matrix is expanded by the runner), an index `a[0]`, a number — throws, so a template that starts
 * using one fails the workflow simulation loudly instead of being evaluated wrongly.
 */

export type ExprValue = string | boolean | null;

/** A context object: nested records of strings. `strict` contexts throw on an unknown property. */
export interface ExprContext {
  values: Record<string, unknown>;
  /** Context names whose unknown properties are a template mistake (e.g. `github`, `matrix`). */
  strict: ReadonlySet<string>;
}

type Token = { type: "str"; value: string } | { type: "path"; value: string } | { type: "op"; value: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const str = /^'((?:[^']|'')*)'/.exec(rest);
    if (str) {
      tokens.push({ type: "str", value: (str[1] ?? "").replaceAll("''", "'") });
      i += str[0].length;
      continue;
    }
    const op = /^(==|!=|\|\||&&|!|\(|\))/.exec(rest);
    if (op) {
      tokens.push({ type: "op", value: op[1] ?? "" });
      i += op[0].length;
      continue;
    }
    // always(): a job that runs whatever the jobs it needs concluded (the runner honours it).
    const always = /^always\(\s*\)/.exec(rest);
    if (always) {
      tokens.push({ type: "path", value: "true" });
      i += always[0].length;
      continue;
    }
    const path = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*/.exec(rest);
    if (path && !rest.slice(path[0].length).trimStart().startsWith("(")) {
      tokens.push({ type: "path", value: path[0] });
      i += path[0].length;
      continue;
    }
    throw new Error(`workflow expression "${source}": unsupported syntax at "${rest}" (the simulation knows paths, 'strings', ==, !=, ||, &&, !)`);
  }
  return tokens;
}

function truthy(value: ExprValue): boolean {
  return value !== null && value !== false && value !== "";
}

function equal(a: ExprValue, b: ExprValue): boolean {
  // GitHub coerces null and '' alike (both become 0); strings compare case-insensitively.
  const norm = (v: ExprValue): string => (v === null ? "" : typeof v === "boolean" ? String(v) : v.toLowerCase());
  return norm(a) === norm(b);
}

function lookup(path: string, context: ExprContext, source: string): ExprValue {
  if (path === "true") return true;
  if (path === "false") return false;
  if (path === "null") return null;
  const [root, ...rest] = path.split(".");
  if (root === undefined || !(root in context.values)) throw new Error(`workflow expression "${source}": unknown context "${root ?? ""}"`);
  let value: unknown = context.values[root];
  for (const key of rest) {
    if (value === null || value === undefined || typeof value !== "object") return null;
    const record = value as Record<string, unknown>;
    if (!(key in record)) {
      if (context.strict.has(root)) throw new Error(`workflow expression "${source}": ${path} is not part of the simulated ${root} context`);
      return null;
    }
    value = record[key];
  }
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  throw new Error(`workflow expression "${source}": ${path} is not a string`);
}

/** Evaluates one expression (the text inside `${{ }}`, or an `if:` condition). */
export function evaluate(source: string, context: ExprContext): ExprValue {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (value: string): boolean => peek()?.type === "op" && peek()?.value === value;
  const primary = (): ExprValue => {
    const token = tokens[pos++];
    if (!token) throw new Error(`workflow expression "${source}": unexpected end`);
    if (token.type === "str") return token.value;
    if (token.type === "path") return lookup(token.value, context, source);
    if (token.value === "(") {
      const value = or();
      if (!isOp(")")) throw new Error(`workflow expression "${source}": missing )`);
      pos++;
      return value;
    }
    if (token.value === "!") return !truthy(primary());
    throw new Error(`workflow expression "${source}": unexpected "${token.value}"`);
  };
  const comparison = (): ExprValue => {
    const left = primary();
    if (isOp("==") || isOp("!=")) {
      const op = tokens[pos++]?.value;
      const right = primary();
      return op === "==" ? equal(left, right) : !equal(left, right);
    }
    return left;
  };
  const and = (): ExprValue => {
    let value = comparison();
    while (isOp("&&")) {
      pos++;
      const right = comparison();
      value = truthy(value) ? right : value;
    }
    return value;
  };
  const or = (): ExprValue => {
    let value = and();
    while (isOp("||")) {
      pos++;
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  };
  const value = or();
  if (pos !== tokens.length) throw new Error(`workflow expression "${source}": unexpected "${tokens[pos]?.value ?? ""}"`);
  return value;
}

/** Replaces every `${{ expr }}` in a string (a value of `env:`, `with:`, `run:`, `environment:`, ...). */
export function interpolate(text: string, context: ExprContext): string {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_, expr: string) => {
    const value = evaluate(expr, context);
    return value === null ? "" : String(value);
  });
}

/** An `if:` condition: a bare expression or one wrapped in `${{ }}`. */
export function condition(text: string | boolean | undefined, context: ExprContext): boolean {
  if (text === undefined) return true;
  if (typeof text === "boolean") return text;
  const wrapped = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(text);
  return truthy(evaluate(wrapped ? (wrapped[1] ?? "") : text, context));
}
