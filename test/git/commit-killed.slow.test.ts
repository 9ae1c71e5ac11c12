import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRepository } from "../../src/git/repository.js";
import { tempRepo } from "./git-fixture.js";

/**
 * A real crash: a child process runs `commitFiles` and is killed with SIGKILL at a step (no
 * `finally`, no cleanup). The child runs the project's src/git transpiled to JavaScript.
 */
const projectRoot = join(import.meta.dirname, "..", "..");
let buildDir: string;

function transpile(file: string): void {
  const out = ts.transpileModule(readFileSync(join(projectRoot, file), "utf8"), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  mkdirSync(dirname(join(buildDir, file)), { recursive: true });
  writeFileSync(join(buildDir, file.replace(/\.ts$/, ".js")), out.outputText);
}

beforeAll(() => {
  buildDir = mkdtempSync(join(tmpdir(), "entra-gitops-killed-build-"));
  // src/git and the layers below it that it needs at run time (ARCHITECTURE.md "Layers").
  for (const dir of ["src/git", "src/model", "src/files"]) {
    for (const file of readdirSync(join(projectRoot, dir))) if (file.endsWith(".ts")) transpile(`${dir}/${file}`);
  }
  writeFileSync(join(buildDir, "package.json"), '{"type":"module"}\n');
  symlinkSync(join(projectRoot, "node_modules"), join(buildDir, "node_modules"));
  writeFileSync(
    join(buildDir, "child.js"),
    `import { openRepository } from "./src/git/repository.js";
import { commitFiles } from "./src/git/commit-files.js";
const [dir, step] = process.argv.slice(2);
const repo = await openRepository(dir);
await commitFiles(repo, {
  files: [
    { path: "tenant-config/group/a.yaml", content: "a2\\n" },
    { path: "tenant-config/group/b.yaml", content: null },
    { path: "tenant-config/group/c.yaml", content: "c1\\n" },
  ],
  author: { name: "Alice", email: "alice@contoso.com" },
  committer: { name: "bot", email: "bot@noreply.entra-gitops" },
  message: "drift",
  onStep: async (s) => {
    if (s === step) { setInterval(() => {}, 1000); process.stdout.write("AT " + s + "\\n"); await new Promise(() => {}); }
  },
});
process.stdout.write("DONE\\n");
`,
  );
});
afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

function runUntilKilled(dir: string, step: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(buildDir, "child.js"), dir, step], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(`AT ${step}`)) child.kill("SIGKILL");
    });
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("close", (_code, signal) => (signal === "SIGKILL" ? resolve(out) : reject(new Error(`child ended without kill: ${out}${err}`))));
  });
}

describe("commitFiles killed with SIGKILL mid-commit", () => {
  for (const step of ["objects-written", "journal-written", "ref-updated"]) {
    it(`after ${step}: HEAD is a complete commit and the index is clean once reopened`, async () => {
      const repo = tempRepo();
      try {
        const base = repo.commit("init", { "tenant-config/group/a.yaml": "a1\n", "tenant-config/group/b.yaml": "b1\n" });
        await runUntilKilled(repo.dir, step);
        const landed = step === "ref-updated";
        expect(repo.git("rev-parse", landed ? "HEAD~1" : "HEAD")).toBe(base);
        const reopened = await openRepository(repo.dir);
        expect(reopened.recovered?.action).toBe(landed ? "completed" : step === "journal-written" ? "discarded" : undefined);
        expect(repo.git("diff", "--cached", "--name-only")).toBe("");
        expect(repo.git("status", "--porcelain", "--untracked-files=all")).toBe("");
        expect(repo.git("ls-files", "tenant-config").split("\n")).toEqual(
          landed ? ["tenant-config/group/a.yaml", "tenant-config/group/c.yaml"] : ["tenant-config/group/a.yaml", "tenant-config/group/b.yaml"],
        );
        expect(readFileSync(join(repo.dir, "tenant-config/group/a.yaml"), "utf8")).toBe(landed ? "a2\n" : "a1\n");
      } finally {
        repo.cleanup();
      }
    });
  }
});
