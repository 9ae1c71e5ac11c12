/**
 * Dynamic membership rules for users (`user.department -eq "Sales"`): the subset Entra documents
 * for simple rules — -eq -ne -startsWith -notStartsWith -contains -notContains -match -notMatch
 * -in -notIn, -and -or -not, parentheses, strings, booleans, null and ["a","b"] lists.
 * A rule the sandbox cannot parse matches nobody (Entra would have refused it at write time).
 * The same grammar reads Conditional Access device filters (`device.trustType -eq "ServerAD"`).
 */
type Value = string | boolean | null | string[];

type Rule =
  | { kind: "and" | "or"; left: Rule; right: Rule }
  | { kind: "not"; rule: Rule }
  | { kind: "cmp"; property: string; op: string; value: Value };

const OPERATORS = ["-eq", "-ne", "-startswith", "-notstartswith", "-contains", "-notcontains", "-match", "-notmatch", "-in", "-notin"];
/** Conditional Access device filters (`device.…`) also have -endsWith and -notEndsWith. */
const DEVICE_OPERATORS = [...OPERATORS, "-endswith", "-notendswith"];

function tokenize(rule: string): string[] {
  const tokens: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\]|\(|\)|-[A-Za-z]+|[A-Za-z_][A-Za-z0-9_.]*)/y;
  let match: RegExpExecArray | null;
  let last = 0;
  while ((match = re.exec(rule)) !== null) {
    tokens.push(match[1] ?? "");
    last = re.lastIndex;
  }
  if (rule.slice(last).trim() !== "") throw new Error("unparsed rule text");
  return tokens;
}

function literal(token: string): Value {
  if (token.startsWith('"')) return token.slice(1, -1).replace(/\\"/g, '"');
  if (token.startsWith("[")) {
    return [...token.slice(1, -1).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? "");
  }
  const lower = token.toLowerCase();
  if (lower === "true" || lower === "false") return lower === "true";
  if (lower === "null") return null;
  throw new Error(`bad literal ${token}`);
}

export function parseMembershipRule(text: string, subject: "user" | "device" = "user"): Rule {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos]?.toLowerCase();
  function or(): Rule {
    let left = and();
    while (peek() === "-or") { pos++; left = { kind: "or", left, right: and() }; }
    return left;
  }
  function and(): Rule {
    let left = unary();
    while (peek() === "-and") { pos++; left = { kind: "and", left, right: unary() }; }
    return left;
  }
  function unary(): Rule {
    if (peek() === "-not") { pos++; return { kind: "not", rule: unary() }; }
    if (peek() === "(") {
      pos++;
      const inner = or();
      if (tokens[pos++] !== ")") throw new Error("missing )");
      return inner;
    }
    const property = tokens[pos++] ?? "";
    const op = (tokens[pos++] ?? "").toLowerCase();
    const prefix = `${subject}.`;
    if (!property.toLowerCase().startsWith(prefix) || !/^[A-Za-z][A-Za-z0-9]*$/.test(property.slice(prefix.length)) || !(subject === "device" ? DEVICE_OPERATORS : OPERATORS).includes(op)) throw new Error("unsupported clause");
    return { kind: "cmp", property: property.slice(prefix.length), op, value: literal(tokens[pos++] ?? "") };
  }
  const rule = or();
  if (pos !== tokens.length) throw new Error("trailing tokens");
  return rule;
}

function compare(actual: unknown, op: string, value: Value): boolean {
  const text = actual === null || actual === undefined ? null : String(actual).toLowerCase();
  const wanted = typeof value === "string" ? value.toLowerCase() : value;
  switch (op) {
    case "-eq": return typeof wanted === "boolean" ? actual === wanted : text === wanted;
    case "-ne": return !compare(actual, "-eq", value);
    case "-startswith": return text !== null && typeof wanted === "string" && text.startsWith(wanted);
    case "-notstartswith": return !compare(actual, "-startswith", value);
    case "-contains": return text !== null && typeof wanted === "string" && text.includes(wanted);
    case "-notcontains": return !compare(actual, "-contains", value);
    case "-endswith": return text !== null && typeof wanted === "string" && text.endsWith(wanted);
    case "-notendswith": return !compare(actual, "-endswith", value);
    case "-match": return text !== null && typeof value === "string" && new RegExp(value, "i").test(String(actual));
    case "-notmatch": return !compare(actual, "-match", value);
    case "-in": return Array.isArray(value) && text !== null && value.some((v) => v.toLowerCase() === text);
    case "-notin": return !compare(actual, "-in", value);
    default: return false;
  }
}

export function evaluateMembershipRule(rule: Rule, user: Record<string, unknown>): boolean {
  switch (rule.kind) {
    case "and": return evaluateMembershipRule(rule.left, user) && evaluateMembershipRule(rule.right, user);
    case "or": return evaluateMembershipRule(rule.left, user) || evaluateMembershipRule(rule.right, user);
    case "not": return !evaluateMembershipRule(rule.rule, user);
    case "cmp": {
      const key = Object.keys(user).find((k) => k.toLowerCase() === rule.property.toLowerCase());
      return compare(key === undefined ? null : user[key], rule.op, rule.value);
    }
  }
}

/** A compiled rule, or undefined when the sandbox does not understand it. */
export function compileMembershipRule(text: unknown, subject: "user" | "device" = "user"): ((user: Record<string, unknown>) => boolean) | undefined {
  if (typeof text !== "string") return undefined;
  try {
    const rule = parseMembershipRule(text, subject);
    return (user) => evaluateMembershipRule(rule, user);
  } catch {
    return undefined;
  }
}
