import { badRequest } from "../core/errors.js";
import type { ComparisonOp, FilterExpr, Literal, Operand } from "./filter-ast.js";

type Token =
  | { t: "ident"; v: string }
  | { t: "str"; v: string }
  | { t: "num"; v: number; raw: string }
  | { t: "lit"; v: string }
  | { t: "("; v: "(" }
  | { t: ")"; v: ")" }
  | { t: ","; v: "," }
  | { t: ":"; v: ":" };

const DATE_OR_GUID = /^(\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/;

function invalid(filter: string): Error {
  return badRequest(`Invalid filter clause: ${filter}`);
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? "";
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === "(" || ch === ")" || ch === "," || ch === ":") {
      tokens.push({ t: ch, v: ch } as Token);
      i++;
      continue;
    }
    if (ch === "'") {
      let value = "";
      i++;
      for (;;) {
        if (i >= input.length) throw badRequest(`Invalid filter clause: unterminated string literal in '${input}'`);
        const c = input[i] ?? "";
        if (c === "'") {
          if (input[i + 1] === "'") { value += "'"; i += 2; continue; }
          i++;
          break;
        }
        value += c;
        i++;
      }
      tokens.push({ t: "str", v: value });
      continue;
    }
    const rest = input.slice(i);
    const special = DATE_OR_GUID.exec(rest)?.[0];
    if (special && special.includes("-") && !/[A-Za-z0-9_]/.test(rest.charAt(special.length))) {
      tokens.push({ t: "lit", v: special });
      i += special.length;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(rest);
    if (num) {
      tokens.push({ t: "num", v: Number(num[0]), raw: num[0] });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_$@][A-Za-z0-9_.$@/]*/.exec(rest);
    if (ident) {
      tokens.push({ t: "ident", v: ident[0] });
      i += ident[0].length;
      continue;
    }
    throw invalid(input);
  }
  return tokens;
}

/** Parse an OData `$filter` expression (the subset Graph directory and policy resources accept). */
export function parseFilter(input: string): FilterExpr {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => {
    const token = tokens[pos++];
    if (!token) throw invalid(input);
    return token;
  };
  const isWord = (token: Token | undefined, word: string): boolean =>
    token?.t === "ident" && token.v.toLowerCase() === word;
  const expect = (t: Token["t"]): Token => {
    const token = next();
    if (token.t !== t) throw invalid(input);
    return token;
  };

  function parseOr(): FilterExpr {
    let left = parseAnd();
    while (isWord(peek(), "or")) {
      pos++;
      left = { kind: "or", left, right: parseAnd() };
    }
    return left;
  }

  function parseAnd(): FilterExpr {
    let left = parseUnary();
    while (isWord(peek(), "and")) {
      pos++;
      left = { kind: "and", left, right: parseUnary() };
    }
    return left;
  }

  function parseUnary(): FilterExpr {
    if (isWord(peek(), "not")) {
      pos++;
      return { kind: "not", expr: parseUnary() };
    }
    return parseComparison();
  }

  function parseComparison(): FilterExpr {
    const token = peek();
    if (token?.t === "(") {
      pos++;
      const inner = parseOr();
      expect(")");
      return inner;
    }
    const left = parseOperand();
    const op = peek();
    if (op?.t === "ident") {
      const word = op.v.toLowerCase();
      if (["eq", "ne", "gt", "ge", "lt", "le"].includes(word)) {
        pos++;
        return { kind: "cmp", op: word as ComparisonOp, left, right: parseOperand() };
      }
      if (word === "in") {
        pos++;
        expect("(");
        const values: Literal[] = [];
        for (;;) {
          const operand = parseOperand();
          if (operand.kind !== "lit") throw invalid(input);
          values.push(operand.value);
          const sep = next();
          if (sep.t === ")") break;
          if (sep.t !== ",") throw invalid(input);
        }
        return { kind: "in", left, values };
      }
    }
    if (left.kind === "call") {
      const name = left.name.toLowerCase();
      if (name === "startswith" || name === "endswith" || name === "contains" || name === "isof") {
        return { kind: "fn", name, args: left.args };
      }
    }
    return { kind: "value", operand: left };
  }

  function parseOperand(): Operand {
    const token = next();
    switch (token.t) {
      case "str":
        return { kind: "lit", value: token.v, raw: `'${token.v}'` };
      case "num":
        return { kind: "lit", value: token.v, raw: token.raw };
      case "lit":
        return { kind: "lit", value: token.v, raw: token.v };
      case "ident": {
        const lower = token.v.toLowerCase();
        if (lower === "true" || lower === "false") return { kind: "lit", value: lower === "true", raw: lower };
        if (lower === "null") return { kind: "lit", value: null, raw: "null" };
        if (peek()?.t === "(") {
          pos++;
          const segments = token.v.split("/");
          const last = (segments[segments.length - 1] ?? "").toLowerCase();
          if (segments.length > 1 && (last === "any" || last === "all")) return parseLambda(segments.slice(0, -1), last);
          const args: Operand[] = [];
          if (peek()?.t !== ")") {
            for (;;) {
              args.push(parseOperand());
              const sep = next();
              if (sep.t === ")") break;
              if (sep.t !== ",") throw invalid(input);
            }
          } else pos++;
          return { kind: "call", name: token.v, args };
        }
        return { kind: "prop", path: token.v.split("/") };
      }
      default:
        throw invalid(input);
    }
  }

  function parseLambda(path: string[], op: "any" | "all"): Operand {
    if (peek()?.t === ")") {
      pos++;
      return lambdaOperand({ kind: "lambda", op, path });
    }
    const variable = String(expect("ident").v);
    expect(":");
    const body = parseOr();
    expect(")");
    return lambdaOperand({ kind: "lambda", op, path, variable, body });
  }

  const result = parseOr();
  if (pos !== tokens.length) throw invalid(input);
  return unwrapLambdas(result);
}

// Lambdas are parsed in operand position; carry them through a call node and unwrap afterwards.
const lambdaNodes = new WeakMap<Operand, FilterExpr>();

function lambdaOperand(expr: FilterExpr): Operand {
  const operand: Operand = { kind: "call", name: "$lambda", args: [] };
  lambdaNodes.set(operand, expr);
  return operand;
}

function unwrapLambdas(expr: FilterExpr): FilterExpr {
  switch (expr.kind) {
    case "and":
    case "or":
      return { ...expr, left: unwrapLambdas(expr.left), right: unwrapLambdas(expr.right) };
    case "not":
      return { kind: "not", expr: unwrapLambdas(expr.expr) };
    case "value": {
      const lambda = lambdaNodes.get(expr.operand);
      if (lambda && lambda.kind === "lambda") {
        return lambda.body ? { ...lambda, body: unwrapLambdas(lambda.body) } : lambda;
      }
      return expr;
    }
    default:
      return expr;
  }
}
