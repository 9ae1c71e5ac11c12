/**
 * A fresh clone has no `../shared` beside it: the corpus-backed test files must be skipped while
 * vitest collects them, not crash. This copies the repository's files (as `git ls-files` lists
 * them, with this worktree's edits) into a temp folder that has nothing beside it, and runs vitest
 * there on every test file that mentions the corpus.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childEnv, copyRepository, type RepoCopy } from "../helpers/repo-copy.js";

interface AssertionResult {
  ancestorTitles: string[];
  title: string;
  status: string;
}
interface FileResult {
  name: string;
  status: string;
  message: string;
  assertionResults: AssertionResult[];
}
interface JsonReport {
  numFailedTestSuites: number;
  numFailedTests: number;
  testResults: FileResult[];
}

const repo = process.cwd();
/** Every test file that refers to ../shared (directly or through the corpus helpers). */
function corpusTestFiles(): string[] {
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "test"], { cwd: repo, encoding: "utf8" })
    .split("\n")
    .filter((f) => f.endsWith(".test.ts") && existsSync(join(repo, f)));
  return files.filter((f) => {
    const text = readFileSync(join(repo, f), "utf8");
    return /\.\.\/shared|"shared"|requires \.\.\/shared|from "\.\/corpus\.js"|corpus-roundtrip-fixture|DEFAULT_CSDL_PATH/.test(text) && !f.includes("fresh-clone");
  });
}

describe("a clone with nothing beside it", () => {
  let copy: RepoCopy | undefined;
  let root = "";
  let clone = "";
  let files: string[] = [];
  beforeAll(() => {
    copy = copyRepository("entra-gitops-fresh-");
    ({ root, dir: clone } = copy);
    files = corpusTestFiles();
  });
  afterAll(() => copy?.remove());

  it("skips the corpus-backed test files at collection instead of crashing", () => {
    expect(existsSync(join(root, "shared"))).toBe(false);
    expect(files).toEqual(expect.arrayContaining(["test/guards/lockout-corpus.test.ts", "test/kinds/corpus-baselines.test.ts", "test/kinds/corpus-graph-docs.test.ts"]));
    // The nested vitest must not think it is one of this run's workers.
    const env = childEnv();
    delete env.NODE_EXTRA_CA_CERTS;
    const out = join(root, "report.json");
    const run = spawnSync(process.execPath, [join(clone, "node_modules", "vitest", "vitest.mjs"), "run", "--reporter=json", `--outputFile=${out}`, ...files], {
      cwd: clone,
      env: { ...env, CI: "true" },
      encoding: "utf8",
      timeout: 180_000,
    });
    expect(existsSync(out), run.stderr).toBe(true);
    const report = JSON.parse(readFileSync(out, "utf8")) as JsonReport;
    const crashed = report.testResults.filter((r) => r.status === "failed").map((r) => `${r.name}: ${r.message}`);
    expect(crashed).toEqual([]);
    expect(report.numFailedTests).toBe(0);
    expect(run.status, run.stderr).toBe(0);
    expect(report.testResults.length).toBe(files.length);
    // Every test under a "requires ../shared" title was collected and skipped, none ran.
    const corpusTests = report.testResults.flatMap((r) => r.assertionResults.filter((a) => a.ancestorTitles.some((t) => t.includes("requires ../shared"))));
    expect(corpusTests.length).toBeGreaterThan(10);
    expect(corpusTests.filter((a) => a.status !== "skipped" && a.status !== "pending")).toEqual([]);
    for (const name of ["lockout-corpus.test.ts", "corpus-baselines.test.ts", "corpus-graph-docs.test.ts"]) {
      const result = report.testResults.find((r) => r.name.endsWith(name));
      expect(result?.assertionResults.length, name).toBeGreaterThan(0);
      expect(result?.assertionResults.every((a) => a.status === "skipped" || a.status === "pending"), name).toBe(true);
    }
  }, 240_000);
});
