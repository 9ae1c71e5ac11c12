/**
 * Where a sync's sorted changes go (docs/design.md §1 step 4): `commit` drift (and `pr` drift with
 * `--branch`) on the checked-out branch with the id map's changes, `pr` drift on its own branch,
 * `revert` drift applied back; and the ids the environment holds afterwards.
 */
import { formatIdMap } from "../../state/id-map.js";
import type { IdMapText } from "../../state/id-map.js";
import type { EditedIdMap } from "../../state/edited-id-map.js";
import type { SyncOptions } from "../sync-tenant.js";
import type { ClassifiedChanges } from "./classify-changes.js";
import { idsAfterSync, withIdMapChanges } from "./environment-ids.js";
import { revertDrift } from "./revert-drift.js";
import type { RevertOutcome } from "./revert-drift.js";
import { recreatedResults } from "./state-files.js";
import type { SyncRead } from "./sync-read.js";
import type { DriftAttribution } from "./types.js";

export interface DriftDestinations {
  /** Drift recorded on the checked-out (or --branch) branch, attributed. */
  attributedOnCurrent: DriftAttribution;
  /** The same, its commits carrying the id map's changes. */
  onCurrent: DriftAttribution;
  /** What the map holds once the drift commits are made. */
  recordedIds: IdMapText;
  /** `pr` drift for its own branch (without `--branch`). */
  onPrBranch: DriftAttribution | undefined;
  /** Applies the committed documents back over `revert` drift (plans only with `planOnly`), when there is any. */
  revert: (planOnly: boolean, head: string) => Promise<RevertOutcome | undefined>;
  /** The ids after this sync, given what the revert re-created. */
  finalIds: (reverted: RevertOutcome | undefined) => EditedIdMap;
}

/** Attributes each destination's changes. */
export function driftDestinations(options: SyncOptions, synced: SyncRead, classified: ClassifiedChanges): DriftDestinations {
  const { folder } = options;
  const { idState, read } = synced;
  const { exported } = read;
  const { split, attribute, liveIds } = classified;
  // `--branch` names the drift branch for everything recorded; without it `pr` drift gets its own.
  const attributedOnCurrent = attribute(options.branch ? [...split.commit, ...split.pr] : split.commit);
  const renderIds = (ids: ReadonlyMap<string, string>): string => formatIdMap(ids, options.config.environment?.name, idState);
  const withIds = options.idsPath ? withIdMapChanges(attributedOnCurrent.commits, idState.ids, liveIds, folder, options.idsPath, renderIds) : undefined;
  const onCurrent = withIds ? { ...attributedOnCurrent, commits: withIds.commits } : attributedOnCurrent;
  // What the map holds once the drift commits are made: the bot records any further change.
  const carriesIds = withIds?.commits.some((c, i) => c !== attributedOnCurrent.commits[i]) === true;
  const recordedIds: IdMapText = withIds ? { ids: withIds.ids, text: carriesIds ? renderIds(withIds.ids) : idState.text, canonical: carriesIds || idState.canonical } : idState;
  const onPrBranch = options.branch ? undefined : attribute(split.pr);
  const reverting = attribute(split.revert).commits.flatMap((c) => c.objects);
  const revert = async (planOnly: boolean, head: string): Promise<RevertOutcome | undefined> =>
    reverting.length === 0
      ? undefined
      : revertDrift({
          config: options.config,
          gateway: options.gateway,
          descriptors: options.descriptors,
          graphUrl: options.graphUrl,
          folder,
          gitRevision: head || null,
          ...(await read.everything()),
          streams: read.streams,
          objects: reverting,
          ids: liveIds,
          planOnly,
          ...(options.onRevert ? { onResult: options.onRevert } : {}),
        });

  // The ids after this sync: the committed ones, replaced by the export's and by those of
  // objects a self-heal re-created, limited to the documents the checked-out (or --branch)
  // branch holds afterwards (a document kept for an object gone from the tenant keeps its id,
  // so the object can still be restored with it).
  const finalIds = (reverted: RevertOutcome | undefined): EditedIdMap =>
    idsAfterSync({
      committed: idState.ids,
      live: exported.ids,
      recreated: recreatedResults(reverted),
      committedDocuments: read.committed.addresses,
      ...(read.committed.idsWithoutDocuments ? { committedWithoutDocuments: read.committed.idsWithoutDocuments } : {}),
      files: attributedOnCurrent.commits.flatMap((c) => c.files),
      folder,
      readKinds: new Set(exported.snapshot.read),
    });
  return { attributedOnCurrent, onCurrent, recordedIds, onPrBranch, revert, finalIds };
}
