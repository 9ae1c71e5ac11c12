import { isKind, kindNames, type Kind } from "../model/kind.js";
import { GitError } from "./errors.js";

/** Which documents a command acts on: `KIND/NAME` one object; `KIND` or `KIND/*` a whole kind. */
export type Selector = { type: "object"; kind: Kind; name: string } | { type: "kind"; kind: Kind };

/** Parses `KIND/NAME`, `KIND/*` or `KIND`; an unknown kind is an error that lists the known ones. */
export function parseSelector(text: string): Selector {
  const trimmed = text.trim();
  const slash = trimmed.indexOf("/");
  const kind = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const name = slash < 0 ? "*" : trimmed.slice(slash + 1);
  if (!isKind(kind)) throw new GitError(`unknown kind "${kind}" in selector "${text}"; kinds: ${kindNames().join(", ")}`);
  if (name === "*") return { type: "kind", kind };
  if (name.length === 0 || name.includes("/") || name.includes("*")) throw new GitError(`invalid selector "${text}": use KIND/NAME, KIND/* or KIND`);
  return { type: "object", kind, name };
}

export function formatSelector(selector: Selector): string {
  return selector.type === "kind" ? `${selector.kind}/*` : `${selector.kind}/${selector.name}`;
}

/** True when the document matches any selector; no selectors select everything. */
export function matchesSelectors(selectors: readonly Selector[], kind: Kind, name: string): boolean {
  if (selectors.length === 0) return true;
  return selectors.some((s) => s.kind === kind && (s.type === "kind" || s.name === name));
}
