/**
 * How `drift` reads the tenant (README "drift"): with `sync.incremental` (the default) and a read
 * recorded in the sync state at `--rev`, only what changed since, as an incremental sync reads it
 * (engine/sync/drift-scope.ts), comparing only the documents that read may find changed; otherwise
 * (or with `--full`) the whole tenant against every document. Says which on stderr, as `sync` does.
 */
import type { ResolvedConfig } from "../config/index.js";
import { resolveRevision } from "../git/repository.js";
import type { GraphGateway } from "../graph/types.js";
import { getKind, kindOfPrefix } from "../kinds/registry.js";
import { parseReference } from "../kinds/reference-syntax.js";
import type { KindDescriptor, ReferencePrefix } from "../kinds/types.js";
import type { Kind } from "../model/kind.js";
import { driftScope } from "../engine/sync/drift-scope.js";
import type { DriftScope } from "../engine/sync/drift-scope.js";
import { committedSyncState } from "../engine/sync/state-files.js";
import { idMapFile, readEnvironmentIdsInPlace, syncStateFile } from "../state/environment-state.js";
import { readStateText } from "../state/state-file.js";
import { checkWorkTreeMap } from "../engine/sync/checked-content.js";
import { repoRelative } from "../git/repository.js";
import { desiredFromFiles, desiredOptions } from "./desired.js";
import type { DesiredState } from "./desired.js";
import { UserError } from "./errors.js";
import { revisionStreams } from "../engine/streams.js";
import { progress } from "./output.js";
import { configRepository } from "./repo.js";
import { describeRead } from "./sync-report.js";

export interface IncrementalDrift {
  /** The documents to compare (validated). */
  desired: DesiredState;
  partial: Extract<DriftScope, { mode: "incremental" }>["partial"] & { namesUnread: (reference: string) => boolean };
  /** Documents not compared: unchanged since the recorded read. */
  unchanged: number;
}

/** The incremental drift's documents and read, or undefined for a full drift (the reason printed). */
export async function incrementalDrift(config: ResolvedConfig, rev: string, gateway: GraphGateway, descriptors: readonly KindDescriptor[], full: boolean): Promise<IncrementalDrift | undefined> {
  if (!config.sync.incremental) return undefined;
  if (full) {
    progress(describeRead({ mode: "full", reason: "--full" }));
    return undefined;
  }
  const { repo, folder } = await configRepository(config);
  const commit = await resolveRevision(repo, rev).catch(() => {
    throw new UserError(`unknown revision ${rev}`);
  });
  const syncStatePath = repoRelative(repo, syncStateFile(config));
  const syncState = await committedSyncState({ repo, config, syncStatePath }, commit);
  // The facts the last sync recorded of the folder and the map, when the work tree's map is the
  // committed one and they still hold (engine/sync/checked-content.ts): nothing listed or walked.
  const idsText = await readStateText(idMapFile(config));
  const check = idsText === undefined ? undefined : await checkWorkTreeMap(repo, commit, folder, repoRelative(repo, idMapFile(config)), syncState.read?.checked, idsText);
  const ids = check?.ok ? check.ids : await readEnvironmentIdsInPlace(config);
  const scope = await driftScope({
    repo,
    rev: commit,
    folder,
    gateway,
    descriptors,
    ids,
    syncState,
    syncStatePath,
    ...(check?.ok ? { checked: { ids: check.ids, facts: check.facts } } : check ? { uncheckedBecause: check.reason } : {}),
    now: new Date(),
  });
  if (scope.mode === "full") {
    progress(describeRead(scope));
    return undefined;
  }
  progress(describeRead(scope.report));
  const { isKnown, namesUnread } = documentNames(scope.names);
  // The images beside the documents compared come from the same revision (README "Company branding images").
  const desired = { ...desiredFromFiles(scope.files, `@${commit.slice(0, 12)}`, commit, "nothing was planned", { ...desiredOptions(config, ids), isKnown }), streams: revisionStreams(repo, commit, folder) };
  return { desired, partial: { ...scope.partial, namesUnread }, unchanged: scope.unchanged };
}

/**
 * References to the documents at the revision, for a drift that compares only some of them:
 * whether a reference names one (`isKnown`, for validation; `namesUnread`, for the plan).
 */
export function documentNames(all: ReadonlyMap<Kind, ReadonlySet<string>>): { isKnown: (prefix: ReferencePrefix, name: string) => boolean; namesUnread: (reference: string) => boolean } {
  const names = lowerCased(all);
  const isKnown = (prefix: ReferencePrefix, name: string): boolean => namesDocument(names, prefix, name);
  const namesUnread = (reference: string): boolean => {
    const parsed = parseReference(reference);
    return parsed !== undefined && isKnown(parsed.prefix, parsed.name);
  };
  return { isKnown, namesUnread };
}

/**
 * The document names by kind, lower-cased, each kind's set made when a reference first asks for
 * it: a kind referenced by a key (users, 100,000 documents) is never asked (namesDocument).
 */
function lowerCased(names: ReadonlyMap<Kind, ReadonlySet<string>>): (kind: Kind) => ReadonlySet<string> | undefined {
  const made = new Map<Kind, ReadonlySet<string>>();
  return (kind) => {
    let set = made.get(kind);
    const source = names.get(kind);
    if (!set && source) made.set(kind, (set = new Set([...source].map((n) => n.toLowerCase()))));
    return set;
  };
}

/**
 * Whether a reference names a document of the folder (`names`: lower-cased, by kind) that was not read. A kind referenced by a
 * key Graph resolves (users by UPN) is not named by its file: plan looks such references up in
 * the tenant, as it does for every reference.
 */
function namesDocument(names: (kind: Kind) => ReadonlySet<string> | undefined, prefix: ReferencePrefix, name: string): boolean {
  const kind = kindOfPrefix(prefix);
  if (kind === undefined) return false;
  if (getKind(kind).reference?.key !== undefined) return true;
  return names(kind)?.has(name.toLowerCase()) ?? false;
}
