/**
 * Changes git made that apply has not written yet (README "Sync state"): a pull request merged into
 * the documents while the apply job waits for its reviewers. The tenant then still holds the
 * document as it was before that commit, and no audit entry touches the object since. That is no
 * drift: sync neither holds it back nor commits it (which would undo the merged change in git) nor
 * reverts it (which would apply it without apply's review), and reports it until apply writes it or
 * an audit entry shows someone changed the object.
 */
import { secretPaths } from "../../kinds/secret-references.js";
import { lastCommitsOf, type LastCommit } from "../../git/last-commits.js";
import { sameFileContent } from "../../git/commit-files.js";
import type { GitRepository } from "../../git/repository.js";
import { readBinaryFileAtRevision, readFileAtRevision } from "../../git/tree.js";
import { parseDocumentText } from "../../documents/read-document.js";
import type { Address } from "../../model/kind.js";
import type { KindDescriptor } from "../../kinds/types.js";
import type { JsonObject } from "../../model/document.js";
import { compareSpecs, type CompareRules } from "../plan/build-change.js";
import { parseSpecPath } from "../plan/spec-paths.js";
import type { ChangedObject } from "./types.js";

export interface NotApplied {
  address: Address;
  /** The commit apply has not written, and its subject. */
  commit: string;
  subject: string;
}

export interface NotAppliedInput {
  repo: GitRepository;
  revision: string;
  /** Changes no audit entry touches since git's record of them (the engine's own entries included). */
  changes: readonly ChangedObject[];
  /** The bot: its commits record the tenant, so git is never ahead of it through them. */
  bot: { email: string };
  descriptors: readonly KindDescriptor[];
}

/** The changes whose tenant state is their document before its last commit, a person's commit. */
export async function notAppliedChanges(input: NotAppliedInput): Promise<NotApplied[]> {
  if (input.changes.length === 0) return [];
  const last = await lastCommitsOf(input.repo, input.revision, input.changes.flatMap((c) => [c.file.path, ...(c.streams ?? []).map((s) => s.path)]));
  const found: NotApplied[] = [];
  for (const change of input.changes) {
    if (change.streams?.length) {
      const merged = await imagesNotApplied(input, change, last);
      if (merged) found.push(merged);
      continue;
    }
    const commit = last.get(change.file.path);
    if (!commit || commit.committerEmail.toLowerCase() === input.bot.email.toLowerCase()) continue;
    // A root commit (a repository's first export) has no version before it to compare with.
    if (commit.parent === undefined) continue;
    const parent = await readFileAtRevision(input.repo, commit.parent, change.file.path).then(
      (text) => ({ text }),
      () => undefined,
    );
    if (!parent) continue;
    if (matchesVersion(change, parent.text, input.descriptors)) found.push({ address: change.address, commit: commit.commit, subject: commit.subject });
  }
  return found;
}

/**
 * A change of the images beside a document (`ChangedObject.streams`): not applied when one
 * person's commit last touched every changed image, and before it git held the tenant's images
 * and a document meaning what the tenant's does (README "Company branding images").
 */
async function imagesNotApplied(input: NotAppliedInput, change: ChangedObject, last: ReadonlyMap<string, LastCommit>): Promise<NotApplied | undefined> {
  const streams = change.streams ?? [];
  const commits = new Set(streams.map((s) => last.get(s.path)?.commit));
  const commit = last.get(streams[0]?.path ?? "");
  if (!commit || commits.size !== 1 || commit.committerEmail.toLowerCase() === input.bot.email.toLowerCase()) return undefined;
  // A root commit has no version before it: nothing there.
  const parent = commit.parent;
  for (const stream of streams) {
    const then = parent === undefined ? undefined : await readBinaryFileAtRevision(input.repo, parent, stream.path).catch(() => undefined);
    if (!sameFileContent(then, stream.content)) return undefined;
  }
  const text = parent === undefined ? undefined : await readFileAtRevision(input.repo, parent, change.file.path).catch(() => undefined);
  const descriptor = input.descriptors.find((d) => d.kind === change.kind);
  const withoutImages = (spec: JsonObject): JsonObject => Object.fromEntries(Object.entries(spec).filter(([key]) => !descriptor?.streams?.properties.some((p) => p.property === key)));
  const document = change.document ? { ...change.document, spec: withoutImages(change.document.spec) } : null;
  return matchesVersion({ ...change, document }, text, input.descriptors) ? { address: change.address, commit: commit.commit, subject: commit.subject } : undefined;
}

/** Pure: the tenant's state of the object (the export) is this earlier text of its document (`undefined`: no document). */
export function matchesVersion(change: ChangedObject, text: string | undefined, descriptors: readonly KindDescriptor[]): boolean {
  if (change.change === "deleted") return text === undefined;
  if (text === undefined || !change.document) return false;
  if (text === change.file.content) return true;
  const earlier = parseDocumentText(text, change.file.path, { checkLocation: false }).document;
  return earlier !== undefined && sameMeaning(change.document.spec, earlier.spec, change.kind, descriptors);
}

/** Two specs of one kind mean the same, as plan compares them (defaults, empty values, order). */
export function sameMeaning(live: JsonObject, desired: JsonObject, kind: string, descriptors: readonly KindDescriptor[]): boolean {
  const descriptor = descriptors.find((d) => d.kind === kind);
  if (!descriptor) return false;
  const rules: CompareRules = { kind: descriptor, ignore: [...(descriptor.tenantState ?? []), ...secretPaths(descriptor)].map(parseSpecPath), absentFields: "remove" };
  return compareSpecs(live, desired, rules).length === 0;
}
