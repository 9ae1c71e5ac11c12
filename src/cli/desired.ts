import { parseDocumentText } from "../documents/read-document.js";
import { readConfigTree, symlinkDiagnostic } from "../documents/read-tree.js";
import type { Diagnostic, SourcedDocument } from "../model/document.js";
import type { ResolvedConfig } from "../config/index.js";
import { isBuiltinReference, validateDocuments } from "../engine/validate.js";
import type { ReferencePrefix } from "../kinds/types.js";
import { currentRevision, openRepository, repoRelative, resolveRevision } from "../git/repository.js";
import { listTree, readFilesAtRevision } from "../git/tree.js";
import type { GraphVersions } from "../kinds/graph-versions.js";
import { UserError } from "./errors.js";
import { folderStreams, revisionStreams, type StreamSource } from "../engine/streams.js";
import { withEnvironmentIds } from "../state/id-map.js";
import { environmentView, renderForEnvironment, withRenderedNotes } from "../documents/environment-view.js";
import type { EnvironmentView } from "../documents/environment-view.js";
import { readEnvironmentIds } from "../state/environment-state.js";

export interface DesiredState {
  documents: SourcedDocument[];
  /** Commit the documents came from (HEAD for the working tree), or null outside git. */
  gitRevision: string | null;
  /**
   * Where the files beside the documents (company branding images) are read from: the working
   * tree's folder, or the revision's blobs. Absent: documents without them (nothing about the
   * images is planned).
   */
  streams?: StreamSource;
}

/** `makePlan`'s `streamFiles`: the images beside the documents, from where the documents came. */
export function streamFilesOf(desired: DesiredState): { streamFiles?: StreamSource } {
  return desired.streams ? { streamFiles: desired.streams } : {};
}

/**
 * The desired documents, validated: the working tree, or the configuration folder at `rev`, with
 * the chosen environment's ids (its id map; an `id:` still in a document when the map has none).
 * Any error stops here, with every diagnostic, before the tenant is even read.
 */
export async function loadDesired(config: ResolvedConfig, rev?: string): Promise<DesiredState> {
  const ids = await readEnvironmentIds(config);
  const repo = await openRepository(config.rootDir, { recover: false }).catch(() => undefined);
  if (rev) {
    if (!repo) throw new UserError(`--rev ${rev} needs a git repository at ${config.rootDir}`);
    const gitRevision = await resolveRevision(repo, rev).catch(() => {
      throw new UserError(`unknown revision ${rev}`);
    });
    const folder = repoRelative(repo, config.configDirPath);
    // A symbolic link is committed as a blob of mode 120000: refused, like one in the working tree.
    const links = (await listTree(repo, gitRevision, folder)).filter((entry) => entry.mode === "120000");
    if (links.length > 0) {
      const diagnostics = links.map((entry) => symlinkDiagnostic(`${entry.path}@${gitRevision.slice(0, 12)}`));
      throw new UserError(`${diagnostics.length} error(s) in the configuration; nothing was planned`, diagnostics);
    }
    const files = await readFilesAtRevision(repo, gitRevision, folder);
    // The images beside the documents come from the same revision (git's bytes).
    return { ...desiredFromFiles(files, `@${gitRevision.slice(0, 12)}`, gitRevision, "nothing was planned", desiredOptions(config, ids)), streams: revisionStreams(repo, gitRevision, folder) };
  }
  const tree = await readConfigTree(config.configDirPath);
  const gitRevision = repo ? ((await currentRevision(repo)) ?? null) : null;
  return { ...validated(tree.documents, tree.diagnostics, gitRevision, "nothing was planned", desiredOptions(config, ids)), streams: folderStreams(config.configDirPath, config.rootDir) };
}

/** How documents become one environment's desired state. */
export interface DesiredOptions {
  /** Graph version per kind: kinds managed through beta accept their beta properties. */
  graphVersions?: GraphVersions;
  /** The environment's id map. */
  ids?: ReadonlyMap<string, string>;
  /** Renders `${name}` and sets aside other environments' documents; absent: documents already rendered. */
  environment?: EnvironmentView;
  /**
   * References to documents not among these (an incremental drift reads only some): whether one
   * names a document of the folder. Without it, a reference must name one of these documents.
   */
  isKnown?(prefix: ReferencePrefix, name: string): boolean;
}

export function desiredOptions(config: ResolvedConfig, ids: ReadonlyMap<string, string> = new Map()): DesiredOptions {
  return { graphVersions: config.graphVersion, ids, environment: environmentView(config) };
}

/**
 * Documents from file texts (path → text, e.g. a revision's files, or HEAD's with a rollback's
 * changes laid over them), validated like `loadDesired`: any error throws a `UserError` that says
 * `consequence` ("nothing was committed"). `suffix` is appended to each path in diagnostics.
 */
export function desiredFromFiles(
  files: ReadonlyMap<string, string>,
  suffix: string,
  gitRevision: string | null,
  consequence: string,
  options: DesiredOptions = {},
): DesiredState {
  const documents: SourcedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [path, text] of files) {
    if (!path.endsWith(".yaml")) continue;
    const result = parseDocumentText(text, `${path}${suffix}`, { checkLocation: false });
    diagnostics.push(...result.diagnostics);
    if (result.document) documents.push(result.document);
  }
  return validated(documents, diagnostics, gitRevision, consequence, options);
}

/**
 * Schema and reference checks over a whole set of documents, given the environment's `ids` first
 * (kinds managed through beta accept their beta properties); errors throw, naming `consequence`.
 */
export function validated(
  sourced: SourcedDocument[],
  diagnostics: Diagnostic[],
  gitRevision: string | null,
  consequence: string,
  options: DesiredOptions = {},
): DesiredState {
  const view = options.environment ? renderForEnvironment(sourced, options.environment) : undefined;
  const documents = withEnvironmentIds(view ? view.documents : sourced, options.ids ?? new Map());
  // A problem in a rendered value names the variable it came from (environment-view.ts).
  const all = [...diagnostics, ...(view?.diagnostics ?? []), ...withRenderedNotes(validateDocuments(documents, { graphVersions: options.graphVersions ?? {}, ...(options.isKnown ? { isBuiltin: knownOrBuiltin(options.isKnown) } : {}) }), documents)];
  const errors = all.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new UserError(`${errors.length} error(s) in the configuration; ${consequence}`, all);
  return { documents, gitRevision };
}

function knownOrBuiltin(isKnown: (prefix: ReferencePrefix, name: string) => boolean): (prefix: ReferencePrefix, name: string) => boolean {
  return (prefix, name) => isBuiltinReference(prefix, name) || isKnown(prefix, name);
}
