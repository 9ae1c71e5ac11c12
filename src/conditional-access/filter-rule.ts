/**
 * Conditional Access filter rules (`conditions.devices.deviceFilter.rule`, application and service
 * principal filters): `device.trustType -eq "ServerAD" -and (device.isCompliant -eq True -or …)`.
 * Operators: -eq -ne -startsWith -notStartsWith -endsWith -notEndsWith -contains -notContains
 * -in -notIn, joined with -and / -or and parentheses; comparisons ignore case. An attribute the
 * sign-in does not carry is null (Microsoft: an unregistered device has null properties), which
 * equals nothing, so every positive operator is false and every negated one true.
 */
type Value = string | boolean | string[];
type Token = { t: "op" | "word" | "str" | "lp" | "rp" | "lb" | "rb" | "comma"; v: string };

function tokenize(rule: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const ch = rule[i] as string;
    const single: Record<string, Token["t"]> = { "(": "lp", ")": "rp", "[": "lb", "]": "rb", ",": "comma" };
    const kind = single[ch];
    if (/\s/.test(ch)) i++;
    else if (kind) {
      out.push({ t: kind, v: ch });
      i++;
    } else if (ch === '"' || ch === "'") {
      const end = rule.indexOf(ch, i + 1);
      if (end < 0) throw new Error(`unterminated string in filter rule: ${rule}`);
      out.push({ t: "str", v: rule.slice(i + 1, end) });
      i = end + 1;
    } else {
      const m = /^-?[A-Za-z0-9_.:]+/.exec(rule.slice(i));
      if (!m) throw new Error(`unexpected '${ch}' in filter rule: ${rule}`);
      out.push({ t: m[0].startsWith("-") ? "op" : "word", v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

export type Attributes = Readonly<Record<string, string | boolean>>;

/** True when the attributes satisfy the rule. Throws on a rule it cannot read. */
export function matchesRule(rule: string, attributes: Attributes): boolean {
  const tokens = tokenize(rule);
  let pos = 0;
  const attrs = new Map(Object.entries(attributes).map(([k, v]) => [k.toLowerCase().replace(/^(device|application|serviceprincipal)\./, ""), v]));
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => {
    const token = tokens[pos++];
    if (!token) throw new Error(`filter rule ends early: ${rule}`);
    return token;
  };
  const value = (): Value => {
    const token = next();
    if (token.t === "str") return token.v;
    if (token.t === "lb") {
      const items: string[] = [];
      while (peek()?.t !== "rb") {
        const item = next();
        if (item.t === "str" || item.t === "word") items.push(item.v);
        if (peek()?.t === "comma") pos++;
      }
      pos++;
      return items;
    }
    if (/^(true|false)$/i.test(token.v)) return token.v.toLowerCase() === "true";
    return token.v;
  };
  const comparison = (): boolean => {
    const attribute = next();
    if (attribute.t !== "word") throw new Error(`expected an attribute in filter rule: ${rule}`);
    const op = next().v.toLowerCase();
    const expected = value();
    const actual = attrs.get(attribute.v.toLowerCase().replace(/^(device|application|serviceprincipal)\./, ""));
    const negated = ["-ne", "-notstartswith", "-notendswith", "-notcontains", "-notin"].includes(op);
    if (actual === undefined) return negated;
    const a = String(actual).toLowerCase();
    const e = Array.isArray(expected) ? expected.map((x) => x.toLowerCase()) : String(expected).toLowerCase();
    const test = (): boolean => {
      switch (op) {
        case "-eq":
        case "-ne":
          return a === e;
        case "-startswith":
        case "-notstartswith":
          return a.startsWith(String(e));
        case "-endswith":
        case "-notendswith":
          return a.endsWith(String(e));
        case "-contains":
        case "-notcontains":
          return a.includes(String(e));
        case "-in":
        case "-notin":
          return Array.isArray(e) ? e.includes(a) : a === e;
        default:
          throw new Error(`unknown operator ${op} in filter rule: ${rule}`);
      }
    };
    return negated ? !test() : test();
  };
  const primary = (): boolean => {
    if (peek()?.t === "lp") {
      pos++;
      const result = or();
      if (next().t !== "rp") throw new Error(`missing ) in filter rule: ${rule}`);
      return result;
    }
    return comparison();
  };
  const and = (): boolean => {
    let result = primary();
    while (peek()?.v.toLowerCase() === "-and") {
      pos++;
      const rhs = primary();
      result = result && rhs;
    }
    return result;
  };
  const or = (): boolean => {
    let result = and();
    while (peek()?.v.toLowerCase() === "-or") {
      pos++;
      const rhs = and();
      result = result || rhs;
    }
    return result;
  };
  const result = or();
  if (pos !== tokens.length) throw new Error(`unexpected text after the filter rule: ${rule}`);
  return result;
}
