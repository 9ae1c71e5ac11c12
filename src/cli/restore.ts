import { Command } from "commander";
import { parseDocumentText } from "../documents/read-document.js";
import { applyPlan } from "../engine/apply/apply.js";
import { focusPlan } from "../engine/plan/focus.js";
import { hasChanges } from "../model/plan-summary.js";
import { makePlan } from "../engine/planning.js";
import { commitFiles, type FileChange } from "../git/commit-files.js";
import { documentPath } from "../git/paths.js";
import { findDocumentVersion } from "../git/restore-source.js";
import { withWriteLock } from "../git/write-lock.js";
import { readBinaryFilesAtRevision, readFileAtRevision } from "../git/tree.js";
import { revisionStreams, streamPathOf, withDocumentStreams } from "../engine/streams.js";
import type { KindDescriptor } from "../kinds/types.js";
import { currentRevision, repoRelative, type GitRepository } from "../git/repository.js";
import { formatIdMap, parseIdMap } from "../state/id-map.js";
import { idMapFile, readEnvironmentIds } from "../state/environment-state.js";
import { address, parseAddress } from "../model/kind.js";
import { withGraphVersion } from "../kinds/graph-versions.js";
import { getKind } from "../kinds/registry.js";
import { renderText } from "../render/text.js";
import { loadDesired, validated } from "./desired.js";
import { environmentView, renderForEnvironment } from "../documents/environment-view.js";
import { EXIT, ExitRequest, UserError } from "./errors.js";
import { graphUrlOf } from "./graph-url.js";
import { out, progress, useColor } from "./output.js";
import { configRepository, personIdentity } from "./repo.js";
import { connect, globalOptions, kindsInScope, readConfig } from "./workspace.js";
import { confirmApply, refuseBlocked, resultLine } from "./apply.js";

interface RestoreFlags {
  from?: string;
  autoApprove?: boolean;
  dryRun?: boolean;
}

export function command(): Command {
  return new Command("restore")
    .description("bring a deleted object back: soft-delete restore with its id when Graph still holds it, else re-create it with its relationships and repoint the objects that reference it")
    .argument("<address>", "KIND/NAME of the object, e.g. group/sg-ca-breakglass-exclusion")
    .option("--from <rev>", "take the document from this revision (default: HEAD, or the last version before it was deleted from git)")
    .option("--auto-approve", "do not ask for confirmation")
    .option("--dry-run", "show the restore plan only")
    .action(async (target: string, flags: RestoreFlags, cmd: Command) => {
      const parsed = parseAddress(target);
      if (!parsed) throw new UserError(`${target}: expected KIND/NAME`);
      const config = readConfig(globalOptions(cmd));
      const { repo, folder } = await configRepository(config);
      const path = documentPath(folder, parsed.kind, parsed.name);
      const version = await findDocumentVersion(repo, path, flags.from);
      if (!version) throw new UserError(`${target}: git has no version of ${path}${flags.from ? ` at ${flags.from}` : ""}`);
      const parsedDoc = parseDocumentText(version.content, `${path}@${version.revision.slice(0, 12)}`, { checkLocation: false });
      const restored = parsedDoc.document;
      if (!restored) throw new UserError(`${path} at ${version.revision.slice(0, 12)} is not a valid document`, parsedDoc.diagnostics);

      // One writer per environment, as for apply (ARCHITECTURE.md): planning happens under the lock too.
      // A dry run writes nothing and takes no lock.
      const locked = <T>(fn: () => Promise<T>): Promise<T> =>
        flags.dryRun ? fn() : withWriteLock(config.rootDir, config.environment?.name ?? "default", `restore ${target}`, fn, { onWait: progress });
      await locked(async () => {
        const gateway = connect(config, progress);
        // The object's id in this environment: the id map now, else the map as it was at that
        // revision (a soft-deleted object is restored with it).
        const key = address(parsed.kind, parsed.name);
        const idsPath = repoRelative(repo, idMapFile(config));
        const currentIds = await readEnvironmentIds(config);
        const thenIds = parseIdMap((await readFileAtRevision(repo, version.revision, idsPath)) ?? "", `${idsPath}@${version.revision.slice(0, 12)}`).ids;
        const id = currentIds.get(key) ?? thenIds.get(key);
        // The working tree with this document as it will be committed, validated as a whole before
        // anything is written: an invalid restore commits nothing and applies nothing.
        const working = await loadDesired(config);
        // The document as this environment sees it (its vars, and only if it exists here).
        const view = renderForEnvironment([restored], environmentView(config));
        if (view.diagnostics.length > 0) throw new UserError(`${path} at ${version.revision.slice(0, 12)} does not render for this environment; nothing was restored`, view.diagnostics);
        const rendered = view.documents[0];
        if (!rendered) throw new UserError(`${target} exists only in environment(s) ${restored.environments?.join(", ") ?? ""}, not in ${config.environment?.name ?? "the default environment"}: nothing to restore here`);
        const documents = [...working.documents.filter((d) => !(d.kind === parsed.kind && d.name === parsed.name)), { ...rendered, ...(id ? { id } : {}) }];
        const desired = validated(documents, [], working.gitRevision, "nothing was restored or committed", { graphVersions: config.graphVersion });
        // Its images (branding) come back from the same revision as the document; the others' stay the work tree's.
        const descriptor = getKind(parsed.kind);
        const streams = descriptor.streams && working.streams ? withDocumentStreams(working.streams, revisionStreams(repo, version.revision, folder), parsed.kind, parsed.name, descriptor) : undefined;
        const { plan: full, snapshot } = await makePlan({
          config,
          descriptors: kindsInScope(config),
          gateway,
          desired: desired.documents,
          gitRevision: desired.gitRevision,
          graphUrl: graphUrlOf(config),
          ...(streams ? { streamFiles: streams } : {}),
        });
        const plan = focusPlan(full, address(parsed.kind, parsed.name), parsed.kind, parsed.name);
        out(renderText(plan, { color: useColor(), mode: "plan" }));
        // The document and its id in the environment's id map, committed together.
        const commit = async (content: string, newId = id): Promise<void> => {
          const head = await currentRevision(repo);
          const atHead = head ? await readFileAtRevision(repo, head, path) : undefined;
          const ids = newId === undefined || currentIds.get(key) === newId ? undefined : new Map([...currentIds, [key, newId]]);
          const images = descriptor.streams ? await restoredImages(repo, folder, descriptor, parsed.name, version.revision, head) : [];
          if (atHead === content && !ids && images.length === 0) return;
          const result = await commitFiles(repo, {
            files: [{ path, content }, ...images, ...(ids ? [{ path: idsPath, content: formatIdMap(ids, config.environment?.name) }] : [])],
            author: await personIdentity(repo, config),
            committer: config.git,
            message: `Restore ${target} from ${version.revision.slice(0, 12)}`,
          });
          if (result.committed) out(`Committed ${result.commit.slice(0, 12)}: restore ${path} from ${version.revision.slice(0, 12)}`);
        };
        if (!hasChanges(plan)) {
          out(`${target} exists in the tenant as documented: nothing to restore.`);
          if (!flags.dryRun) await commit(version.content);
          return;
        }
        if (flags.dryRun) return;
        refuseBlocked(plan, true);
        if (!flags.autoApprove) await confirmApply();
        const results = await applyPlan(plan, {
          gateway,
          descriptors: new Map(plan.changes.map((c) => [c.kind, withGraphVersion(getKind(c.kind), config.graphVersion[c.kind])])),
          index: snapshot.index,
          graphRoot: graphUrlOf(config),
          ...(streams ? { streams } : {}),
          onResult: (result) => out(resultLine(result)),
        });
        if (results.some((r) => r.status !== "done")) {
          progress(`error: ${target} was not restored completely; nothing was committed`);
          throw new ExitRequest(EXIT.error);
        }
        // A re-created object has a new id: the id map records it, so no sync sees it as drift.
        const created = results.find((r) => r.address === key && r.action === "create" && r.status === "done" && r.id);
        await commit(version.content, created?.id ?? id);
      });
    });
}

/** The document's images as they were at the revision, as file changes over HEAD's (README "Company branding images"). */
async function restoredImages(repo: GitRepository, folder: string, descriptor: KindDescriptor, name: string, revision: string, head: string | undefined): Promise<FileChange[]> {
  const ours = (path: string): boolean => streamPathOf([descriptor], folder, path)?.name === name;
  const kindFolder = `${folder}/${descriptor.kind}`;
  const then = await readBinaryFilesAtRevision(repo, revision, kindFolder, ours);
  const now = head ? await readBinaryFilesAtRevision(repo, head, kindFolder, ours) : new Map<string, Buffer>();
  const files: FileChange[] = [];
  for (const [path, bytes] of then) if (!now.get(path)?.equals(bytes)) files.push({ path, content: bytes });
  for (const path of now.keys()) if (!then.has(path)) files.push({ path, content: null });
  return files;
}
