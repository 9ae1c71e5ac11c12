/**
 * What this build of the CLI is: the package version, and the commit and GitHub repository it was
 * built from (dist/build-info.json, written by scripts/build-info.mjs after `tsc`). Running from
 * the sources (tests) there is no such file: the version comes from package.json and the commit
 * is unknown.
 */
import { existsSync, readFileSync } from "node:fs";

export interface BuildInfo {
  version: string;
  /** Full 40-hex commit, or null when unknown. */
  commit: string | null;
  /** The build had uncommitted changes on top of `commit`. */
  dirty: boolean;
  /** `owner/name` on GitHub, or null when unknown. */
  repository: string | null;
}

const SHA = /^[0-9a-f]{40}$/;
const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export function buildInfo(): BuildInfo {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  const file = new URL("../build-info.json", import.meta.url);
  if (!existsSync(file)) return { version: pkg.version, commit: null, dirty: false, repository: null };
  const raw = JSON.parse(readFileSync(file, "utf8")) as Partial<BuildInfo>;
  return {
    version: pkg.version,
    commit: typeof raw.commit === "string" && SHA.test(raw.commit) ? raw.commit : null,
    dirty: raw.dirty === true,
    repository: typeof raw.repository === "string" && REPO.test(raw.repository) ? raw.repository : null,
  };
}

/** `0.1.0 (owner/entra-gitops@1234567890ab)`, or just the version. */
export function versionLine(info: BuildInfo = buildInfo()): string {
  if (!info.commit) return info.version;
  return `${info.version} (${info.repository ? `${info.repository}@` : "commit "}${info.commit.slice(0, 12)}${info.dirty ? ", with uncommitted changes" : ""})`;
}
