// Runs after `tsc` (npm run build): records which commit and repository this build came from in
// dist/build-info.json, so `entra-gitops --version` can say it and `init` can pin the workflows'
// `uses: <owner>/entra-gitops@<commit>` to the running version.
// Sources, first found wins: the action's own ref and repository (action.yml passes them),
// then the git checkout the build runs in (a clone, or the release workflow's checkout).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import process from "node:process";

const SHA = /^[0-9a-f]{40}$/;
const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

function git(...args) {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

/** `https://github.com/o/n.git`, `git@github.com:o/n.git`, `git+https://…` → `o/n`. */
function repositoryOf(url) {
  const match = /github\.com[/:]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url ?? "");
  return match ? `${match[1]}/${match[2]}` : "";
}

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
// Only a checkout whose top level is this package says which commit the build is.
const inCheckout = git("rev-parse", "--show-toplevel") === process.cwd();
const candidatesCommit = [process.env.ENTRA_GITOPS_COMMIT, inCheckout ? git("rev-parse", "HEAD") : ""];
const commit = candidatesCommit.find((c) => SHA.test(c ?? "")) ?? null;
const dirty = commit !== null && inCheckout && commit === git("rev-parse", "HEAD") && git("status", "--porcelain", "--untracked-files=no") !== "";
const candidatesRepo = [
  process.env.ENTRA_GITOPS_REPOSITORY,
  repositoryOf(typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url),
  inCheckout ? repositoryOf(git("remote", "get-url", "origin")) : "",
];
const repository = candidatesRepo.find((r) => REPO.test(r ?? "")) ?? null;

writeFileSync("dist/build-info.json", `${JSON.stringify({ version: pkg.version, commit, dirty, repository }, null, 2)}\n`);
