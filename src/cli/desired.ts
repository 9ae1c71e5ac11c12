import { parseDocumentText } from "../documents/read-document.js";
import { readConfigTree } from "../documents/read-tree.js";
import type { Diagnostic, SourcedDocument } from "../documents/types.js";
import type { ResolvedConfig } from "../config/index.js";
import { validateDocuments } from "../engine/validate.js";
import { currentRevision, openRepository, repoRelative, resolveRevision } from "../git/repository.js";
import { readFilesAtRevision } from "../git/tree.js";
import { UserError } from "./errors.js";

export interface DesiredState {
  documents: SourcedDocument[];
  /** Commit the documents came from (HEAD for the working tree), or null outside git. */
  gitRevision: string | null;
}

/**
 * The desired documents, validated: the working tree, or the configuration folder at `rev`.
 * Any error stops here, with every diagnostic, before the tenant is even read.
 */
export async function loadDesired(config: ResolvedConfig, rev?: string): Promise<DesiredState> {
  let documents: SourcedDocument[];
  let diagnostics: Diagnostic[];
  let gitRevision: string | null = null;
  const repo = await openRepository(config.rootDir, { recover: false }).catch(() => undefined);
  if (rev) {
    if (!repo) throw new UserError(`--rev ${rev} needs a git repository at ${config.rootDir}`);
    gitRevision = await resolveRevision(repo, rev).catch(() => {
      throw new UserError(`unknown revision ${rev}`);
    });
    const files = await readFilesAtRevision(repo, gitRevision, repoRelative(repo, config.configDirPath));
    documents = [];
    diagnostics = [];
    for (const [path, text] of files) {
      if (!path.endsWith(".yaml")) continue;
      const result = parseDocumentText(text, `${path}@${gitRevision.slice(0, 12)}`, { checkLocation: false });
      diagnostics.push(...result.diagnostics);
      if (result.document) documents.push(result.document);
    }
  } else {
    const tree = await readConfigTree(config.configDirPath);
    documents = tree.documents;
    diagnostics = tree.diagnostics;
    if (repo) gitRevision = (await currentRevision(repo)) ?? null;
  }
  diagnostics.push(...validateDocuments(documents));
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    throw new UserError(`${errors.length} error(s) in the configuration; nothing was planned`, diagnostics);
  }
  return { documents, gitRevision };
}
