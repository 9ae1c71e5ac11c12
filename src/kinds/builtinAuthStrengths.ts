import { slugify } from "./naming.js";

/**
 * Built-in authentication strengths: fixed ids in every tenant, read-only, never exported as
 * documents. Documents name them `authenticationStrength:<display name>` (the slug is accepted too).
 * Phishing-resistant MFA is confirmed by real exports (corpus j0eyv CA105); …0002 and …0003 follow
 * Microsoft's documented built-in policies (docs/graph-behaviour.md §11 marks them UNVERIFIED).
 */
export const BUILTIN_AUTH_STRENGTHS: Readonly<Record<string, string>> = {
  "00000000-0000-0000-0000-000000000002": "Multifactor authentication",
  "00000000-0000-0000-0000-000000000003": "Passwordless MFA",
  "00000000-0000-0000-0000-000000000004": "Phishing-resistant MFA",
};

const BY_NAME = new Map<string, string>();
for (const [id, name] of Object.entries(BUILTIN_AUTH_STRENGTHS)) {
  BY_NAME.set(name.toLowerCase(), id);
  BY_NAME.set(slugify(name), id);
}

export function builtinAuthStrengthName(id: string): string | undefined {
  return BUILTIN_AUTH_STRENGTHS[id.toLowerCase()];
}

/** Id of a built-in authentication strength by display name or its slug (case-insensitive). */
export function builtinAuthStrengthId(name: string): string | undefined {
  return BY_NAME.get(name.toLowerCase());
}
