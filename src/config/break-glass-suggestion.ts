/**
 * With no `breakGlass` configured, `export` (and `init --from-tenant`) writes the break-glass identities the tenant implies
 * (proposed by the lockout guard's own rule, README "Safety") into entra-gitops.yaml as a commented
 * block right above the `breakGlass:` key, between two marker lines, so a later export replaces it
 * instead of adding another; once `breakGlass` is configured, the block goes. Only comment lines
 * change: the configuration's values stay the same.
 */
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../files/atomic-write.js";

export const SUGGESTION_START = "# >>> breakGlass proposed by entra-gitops (export, init --from-tenant): replace the breakGlass key below with these lines";
/** The start marker earlier versions wrote (export only): still recognised, so their block is replaced. */
const LEGACY_STARTS = new Set(["# >>> breakGlass proposed by entra-gitops export: replace the breakGlass key below with these lines"]);
export const SUGGESTION_END = "# <<< end of the proposed breakGlass";

export interface Proposal {
  accounts: readonly string[];
  groups: readonly string[];
}

/** The commented lines for a proposal (empty when it names nobody). */
export function suggestionLines(proposal: Proposal): string[] {
  if (proposal.accounts.length === 0 && proposal.groups.length === 0) return [];
  const lines = [SUGGESTION_START, "# (the accounts and groups every enabled blocking Conditional Access policy excludes)", "# breakGlass:"];
  if (proposal.accounts.length > 0) lines.push("#   accounts:", ...proposal.accounts.map((a) => `#     - ${a}`));
  if (proposal.groups.length > 0) lines.push("#   groups:", ...proposal.groups.map((g) => `#     - ${g}`));
  lines.push(SUGGESTION_END);
  return lines;
}

/** `text` with its previous suggestion block removed and `lines` put above the top-level `breakGlass:` key (else at the end). */
export function withSuggestion(text: string, lines: readonly string[]): string {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const kept: string[] = [];
  let inside = false;
  for (const line of text.split(/\r?\n/)) {
    if (line === SUGGESTION_START || LEGACY_STARTS.has(line)) inside = true;
    else if (inside && line === SUGGESTION_END) inside = false;
    // Inside the block only its comment lines go: a line someone uncommented there stays.
    else if (!inside || !line.startsWith("#")) kept.push(line);
  }
  if (lines.length === 0) return kept.join(eol);
  const at = kept.findIndex((line) => /^breakGlass\s*:/.test(line));
  if (at >= 0) {
    // Above the key's own comment lines, so they stay with it.
    let start = at;
    while (start > 0 && (kept[start - 1] ?? "").startsWith("#")) start--;
    kept.splice(start, 0, ...lines);
  } else {
    while (kept.length > 0 && kept[kept.length - 1] === "") kept.pop();
    kept.push("", ...lines, "");
  }
  return kept.join(eol);
}

/** Writes the suggestion into the file (atomically: temp file + rename); returns whether it changed. */
export async function writeSuggestion(file: string, proposal: Proposal): Promise<boolean> {
  const before = await readFile(file, "utf8");
  const after = withSuggestion(before, suggestionLines(proposal));
  if (after === before) return false;
  await writeFileAtomic(file, after);
  return true;
}
