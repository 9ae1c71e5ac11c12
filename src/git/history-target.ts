/**
 * What `history` was asked about: an address (`KIND/NAME`), a document file (as a path from the
 * current folder or the repository), or a display name. A display name is looked up in the
 * documents committed at HEAD; several matches are an error listing them, so history never guesses.
 */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { parse } from "yaml";
import { parseAddress } from "../model/kind.js";
import { documentPath, parseDocumentPath } from "./paths.js";
import type { GitRepository } from "./repository.js";
import { repoRelative } from "./repository.js";
import { readFilesAtRevision } from "./tree.js";

export type ResolvedTarget = { ok: true; path: string; title: string } | { ok: false; message: string };

export async function resolveHistoryTarget(repo: GitRepository, folder: string, text: string, cwd = process.cwd()): Promise<ResolvedTarget> {
  const address = parseAddress(text);
  if (address && !/\.ya?ml$/i.test(text)) return { ok: true, path: documentPath(folder, address.kind, address.name), title: text };

  if (/\.ya?ml$/i.test(text)) {
    const absolute = isAbsolute(text) ? text : resolve(cwd, text);
    // A path from here, else from the repository's root (a deleted file no longer exists).
    const candidates = [absolute, resolve(repo.root, text)];
    for (const candidate of candidates) {
      let relative: string;
      try {
        relative = repoRelative(repo, candidate);
      } catch {
        continue;
      }
      const parsed = parseDocumentPath(folder, relative);
      if (parsed && (existsSync(candidate) || candidate === candidates[candidates.length - 1])) return { ok: true, path: relative, title: parsed.address };
    }
    return { ok: false, message: `${text}: not a document file of the configuration folder ${folder || "."}/ (expected ${folder ? `${folder}/` : ""}KIND/NAME.yaml)` };
  }

  const wanted = text.toLowerCase();
  const head = await readFilesAtRevision(repo, "HEAD", folder).catch(() => new Map<string, string>());
  const matches: string[] = [];
  for (const [path, content] of head) {
    if (!parseDocumentPath(folder, path)) continue;
    const displayName = displayNameOf(content);
    if (displayName !== undefined && displayName.toLowerCase() === wanted) matches.push(path);
  }
  if (matches.length === 1) {
    const path = matches[0] as string;
    return { ok: true, path, title: parseDocumentPath(folder, path)?.address ?? path };
  }
  if (matches.length > 1) {
    const addresses = matches.map((p) => parseDocumentPath(folder, p)?.address ?? p).sort();
    return { ok: false, message: `${JSON.stringify(text)} is the display name of ${matches.length} documents: ${addresses.join(", ")}; name one as KIND/NAME` };
  }
  return {
    ok: false,
    message: `nothing matches ${JSON.stringify(text)}: no KIND/NAME address, document file, or display name of a document committed at HEAD (a deleted document is named by its KIND/NAME)`,
  };
}

function displayNameOf(text: string): string | undefined {
  try {
    const value: unknown = parse(text);
    if (typeof value !== "object" || value === null) return undefined;
    const spec = (value as { spec?: unknown }).spec;
    if (typeof spec !== "object" || spec === null) return undefined;
    const name = (spec as { displayName?: unknown }).displayName;
    return typeof name === "string" ? name : undefined;
  } catch {
    return undefined;
  }
}
