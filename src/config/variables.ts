/**
 * `${name}` substitution (README "Several tenants"): one set of documents serves several tenants
 * whose values differ (UPN domains, IP ranges, break-glass accounts). Values come from the
 * configuration's top-level `vars`, replaced one by one by the environment's `vars`. `$${` writes a
 * literal `${`. Substitution is textual inside string values only, never in keys or names.
 */

export type Vars = Readonly<Record<string, string>>;

const TOKEN = /\$\$\{|\$\{([^}]*)\}/g;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type Substitution = { ok: true; value: string } | { ok: false; problems: string[] };

/** The string with every `${name}` replaced; the names that are undefined or malformed otherwise. */
export function substitute(text: string, vars: Vars): Substitution {
  if (!text.includes("${")) return { ok: true, value: text };
  const problems: string[] = [];
  const value = text.replace(TOKEN, (match: string, name: string | undefined) => {
    if (match === "$${") return "${";
    const key = name ?? "";
    if (!VAR_NAME.test(key)) {
      problems.push(`"\${${key}}" is not a variable reference (names are letters, digits and _, not starting with a digit; write $\${ for a literal \${)`);
      return match;
    }
    const replacement = Object.hasOwn(vars, key) ? vars[key] : undefined;
    if (replacement === undefined) {
      problems.push(`undefined variable \${${key}}`);
      return match;
    }
    return replacement;
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}

/** True when the text uses substitution at all (a variable or the `$${` escape). */
export function isTemplate(text: string): boolean {
  return text.includes("${");
}

/** The top-level vars with the environment's laid over them. */
export function mergeVars(base: Vars | null | undefined, environment: Vars | null | undefined): Record<string, string> {
  return { ...(base ?? {}), ...(environment ?? {}) };
}
