import { parseDocumentFile } from "../model/document-path.js";
import { parse } from "yaml";
import type { JsonObject } from "../model/document.js";
import type { Kind } from "../model/kind.js";
import { diffSpecs, type FieldChange } from "./field-diff.js";
import { documentPath } from "./paths.js";
import { readObjects as readNamedObjects } from "./object-reader.js";
import type { GitRepository } from "./repository.js";
import { runGit } from "./run-git.js";

/** One commit in the life of one document, newest first in `objectHistory`'s result. */
export interface HistoryEntry {
  commit: string;
  author: { name: string; email: string };
  /** Author date as git stores it, ISO 8601 with offset (`2026-03-04T05:06:07+00:00`). */
  authorDate: string;
  committer: { name: string; email: string };
  subject: string;
  change: "created" | "modified" | "deleted" | "renamed";
  /** The file after this commit (for `deleted`: the file that was removed). */
  path: string;
  /** The file before this commit, for `renamed`. */
  previousPath?: string;
  /** Field-level changes of `spec` (empty for a pure rename or a formatting-only change). */
  fields: FieldChange[];
  /** The document's `id` changed (object re-created in the tenant, or first export of an id). */
  idChange?: { before?: string; after?: string };
  /** Why field changes could not be computed (a version that is not a valid document). */
  note?: string;
}

export type HistoryTarget = { folder: string; kind: Kind; name: string } | { path: string };

/**
 * The timeline of one document from git, newest first. A document is one tenant object: it is
 * followed by its `id` (a file renamed in a commit that deletes a file with the same id in the same
 * folder), never by git's content similarity, which can take a copy or a look-alike for the object.
 * Its history stops where it was created, unless the same id was deleted there before (a restore).
 * Reads blobs from the object store only; the work tree is not touched. Merge commits are left out
 * (the commits they bring in are listed themselves).
 */
export interface HistoryOptions {
  maxCount?: number;
  /**
   * Where the environment's id map is (repository-relative) and how to read it: documents no longer
   * carry `id:` lines, so the object's id at a commit is the map's entry for the document's address
   * at that commit (README "Object ids are per environment").
   */
  idMap?: { path: string; parse(text: string): ReadonlyMap<string, string> };
}

export async function objectHistory(repo: GitRepository, target: HistoryTarget, options: HistoryOptions = {}): Promise<HistoryEntry[]> {
  const path = "path" in target ? target.path : documentPath(target.folder, target.kind, target.name);
  const ids = idReader(repo, options.idMap);
  const raw: RawEntry[] = [];
  let follow: { path: string; from: string } | undefined = { path, from: "HEAD" };
  for (let hop = 0; follow && hop < 20; hop++) {
    const part = await sameObject(repo, await logPath(repo, follow.path, follow.from), ids);
    raw.push(...part);
    follow = undefined;
    const oldest = part.at(-1);
    if (oldest?.status === "A" && oldest.parent && (options.maxCount === undefined || raw.length < options.maxCount)) {
      const predecessor = await deletedWithSameId(repo, oldest, ids);
      if (predecessor) {
        Object.assign(oldest, { status: "R", previousPath: predecessor });
        follow = { path: predecessor, from: oldest.parent };
      }
    }
  }
  if (options.maxCount !== undefined) raw.splice(options.maxCount);
  const wanted: string[] = [];
  for (const r of raw) {
    if (r.status !== "D") wanted.push(`${r.commit}:${r.path}`);
    if (r.status !== "A" && r.parent) wanted.push(`${r.parent}:${r.previousPath ?? r.path}`);
  }
  const contents = await readObjects(repo, wanted);

  const mapped = new Map<string, string | undefined>();
  for (const r of raw) {
    if (r.status !== "D") mapped.set(`${r.commit}:${r.path}`, await ids.fromMap(r.commit, r.path));
    if (r.status !== "A" && r.parent) mapped.set(`${r.parent}:${r.previousPath ?? r.path}`, await ids.fromMap(r.parent, r.previousPath ?? r.path));
  }
  const withId = (key: string): ReturnType<typeof readDoc> => {
    const doc = readDoc(contents.get(key));
    const id = mapped.get(key);
    return doc && doc.id === undefined && id !== undefined ? { ...doc, id } : doc;
  };
  return raw.map((r): HistoryEntry => {
    const after = r.status === "D" ? undefined : withId(`${r.commit}:${r.path}`);
    const before = r.status === "A" || !r.parent ? undefined : withId(`${r.parent}:${r.previousPath ?? r.path}`);
    const change = r.status === "A" ? "created" : r.status === "D" ? "deleted" : r.status === "R" ? "renamed" : "modified";
    const entry: HistoryEntry = {
      commit: r.commit,
      author: r.author,
      authorDate: r.authorDate,
      committer: r.committer,
      subject: r.subject,
      change,
      path: r.path,
      fields: [],
    };
    if (r.previousPath) entry.previousPath = r.previousPath;
    const broken = [after, before].find((d) => d?.error);
    if (broken?.error) entry.note = broken.error;
    else entry.fields = diffSpecs(before?.spec, after?.spec);
    if (before?.id !== after?.id && (change === "modified" || change === "renamed" || change === "created")) {
      const idChange: { before?: string; after?: string } = {};
      if (before?.id !== undefined) idChange.before = before.id;
      if (after?.id !== undefined) idChange.after = after.id;
      if (idChange.before !== undefined || idChange.after !== undefined) entry.idChange = idChange;
    }
    return entry;
  });
}

/** Every commit that touched exactly this path, newest first (no rename or copy detection). */
async function logPath(repo: GitRepository, path: string, from: string): Promise<RawEntry[]> {
  const args = ["log", "--no-merges", "--no-renames", "-z", "--name-status", "--no-ext-diff", "--no-color"];
  args.push("--format=%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%s", from, "--", path);
  const { stdout } = await runGit(repo.root, args);
  return parseLog(stdout.toString("utf8"));
}

/**
 * The newest run of `entries` (one path's commits, newest first) that is one object: it ends at the
 * commit that created the file, unless the commit before deleted a document with the same id (the
 * object restored under its name). An older object that had the same file name is another object.
 */
async function sameObject(repo: GitRepository, entries: RawEntry[], ids: IdReader): Promise<RawEntry[]> {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as RawEntry;
    const older = entries[i + 1];
    if (entry.status !== "A" || older === undefined) continue;
    if (older.status === "D" && older.parent) {
      const id = await ids.of(entry.commit, entry.path);
      if (id !== undefined && id === (await ids.of(older.parent, older.path))) continue;
    }
    return entries.slice(0, i + 1);
  }
  return entries;
}

/** A document deleted in the same commit and folder that carried the same `id`: the file's old name. */
async function deletedWithSameId(repo: GitRepository, created: RawEntry, ids: IdReader): Promise<string | undefined> {
  if (!created.parent) return undefined;
  const parent = created.parent;
  const id = await ids.of(created.commit, created.path);
  if (!id) return undefined;
  const folder = created.path.slice(0, created.path.lastIndexOf("/") + 1);
  const diff = await runGit(repo.root, ["diff", "--name-status", "-z", "--no-renames", created.parent, created.commit, "--", folder]);
  const fields = diff.stdout.toString("utf8").split("\0");
  const deleted: string[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === "D") deleted.push(fields[i + 1] as string);
  for (const candidate of deleted) if ((await ids.of(parent, candidate)) === id) return candidate;
  return undefined;
}

interface IdReader {
  /** The object id of the document at `path` in `commit`: its `id:` line, else the id map's entry. */
  of(commit: string, path: string): Promise<string | undefined>;
  /** The id map's entry alone. */
  fromMap(commit: string, path: string): Promise<string | undefined>;
}

function idReader(repo: GitRepository, idMap: HistoryOptions["idMap"]): IdReader {
  const maps = new Map<string, Promise<ReadonlyMap<string, string>>>();
  const mapAt = (commit: string): Promise<ReadonlyMap<string, string>> => {
    let map = maps.get(commit);
    if (!map) {
      map = idMap
        ? readObjects(repo, [`${commit}:${idMap.path}`]).then((texts) => {
            const text = texts.get(`${commit}:${idMap.path}`);
            return text === undefined ? new Map<string, string>() : idMap.parse(text);
          })
        : Promise.resolve(new Map<string, string>());
      maps.set(commit, map);
    }
    return map;
  };
  const fromMap = async (commit: string, path: string): Promise<string | undefined> => {
    const document = parseDocumentFile(path.split("/").slice(-2).join("/"));
    return document && (await mapAt(commit)).get(document.address);
  };
  return {
    fromMap,
    async of(commit, path) {
      const texts = await readObjects(repo, [`${commit}:${path}`]);
      return readDoc(texts.get(`${commit}:${path}`))?.id ?? (await fromMap(commit, path));
    },
  };
}

interface RawEntry {
  commit: string;
  parent?: string;
  author: { name: string; email: string };
  authorDate: string;
  committer: { name: string; email: string };
  subject: string;
  status: "A" | "M" | "D" | "R";
  path: string;
  previousPath?: string;
}

function parseLog(text: string): RawEntry[] {
  const entries: RawEntry[] = [];
  for (const record of text.split("\x1e")) {
    const headerEnd = record.indexOf("\0");
    if (headerEnd < 0) continue;
    const [commit = "", parents = "", an = "", ae = "", ad = "", cn = "", ce = "", subject = ""] = record
      .slice(0, headerEnd)
      .split("\x1f");
    const fields = record.slice(headerEnd + 1).replace(/^\n/, "").split("\0");
    const code = (fields[0] ?? "").charAt(0);
    const base = {
      commit,
      author: { name: an, email: ae },
      authorDate: ad,
      committer: { name: cn, email: ce },
      subject,
      ...(parents ? { parent: parents.split(" ")[0] as string } : {}),
    };
    if (code === "R" || code === "C") {
      const [, from = "", to = ""] = fields;
      entries.push(code === "R" ? { ...base, status: "R", path: to, previousPath: from } : { ...base, status: "A", path: to });
    } else if (code === "A" || code === "M" || code === "D" || code === "T") {
      entries.push({ ...base, status: code === "T" ? "M" : code, path: fields[1] ?? "" });
    }
  }
  return entries;
}

/** Reads `rev:path` objects through the repository's `cat-file --batch` (object-reader.ts); missing ones (and names that are not one line) are left out. */
async function readObjects(repo: GitRepository, names: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(names)].filter((n) => !/[\n\r]/.test(n));
  const objects = await readNamedObjects(repo, unique);
  const out = new Map<string, string>();
  unique.forEach((name, i) => {
    const object = objects[i];
    if (object) out.set(name, object.content.toString("utf8"));
  });
  return out;
}

function readDoc(text: string | undefined): { spec?: JsonObject; id?: string; error?: string } | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return { error: "not a YAML mapping" };
    const doc = value as Record<string, unknown>;
    const spec = doc.spec;
    const result: { spec?: JsonObject; id?: string } = {};
    if (typeof spec === "object" && spec !== null && !Array.isArray(spec)) result.spec = spec as JsonObject;
    if (typeof doc.id === "string") result.id = doc.id;
    return result;
  } catch (error) {
    return { error: `unparseable YAML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` };
  }
}
