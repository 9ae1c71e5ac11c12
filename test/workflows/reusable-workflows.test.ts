/**
 * The workflow simulation's reusable workflows (test/helpers/actions-runner.ts): a job with
 * `uses: ./.github/workflows/X.yml` runs the called workflow once per matrix entry, with the
 * inputs it declares and at most the calling job's token permissions, as GitHub does; what GitHub
 * refuses, or the simulation does not know, stops the run. The workflows here are small ones in a
 * real bare repository; the templates themselves run in test/e2e/workflow-simulation.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub } from "../helpers/actions-github.js";
import { SimulationError, runWorkflow, type RunnerOptions } from "../helpers/actions-runner.js";
import { git } from "../helpers/cli.js";

const CALLED = `on:
  workflow_call:
    inputs:
      chunk:
        type: number
        required: true
permissions:
  contents: read
jobs:
  list:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    outputs:
      matrix: \${{ steps.list.outputs.matrix }}
    env:
      CHUNK: \${{ inputs.chunk }}
    steps:
      - id: list
        run: |
          if [ "$CHUNK" = 0 ]; then echo 'matrix={"include":[{"environment":"a"},{"environment":"b"}]}' >> "$GITHUB_OUTPUT"; else echo 'matrix={"include":[{"environment":"c"}]}' >> "$GITHUB_OUTPUT"; fi
  work:
    needs: list
    runs-on: ubuntu-latest
    permissions:
      contents: read
      id-token: write
    strategy:
      max-parallel: 1
      fail-fast: true
      matrix: \${{ fromJSON(needs.list.outputs.matrix) }}
    environment: \${{ matrix.environment }}
    env:
      ENVIRONMENT: \${{ matrix.environment }}
    steps:
      - run: |
          echo "working on $ENVIRONMENT"
          if [ "$ENVIRONMENT" = "$FAIL_ON" ]; then exit 1; fi
`;

function caller(call: string, permissions = "      contents: read\n      id-token: write\n"): string {
  return `on: push
permissions:
  contents: read
jobs:
  chunks:
    runs-on: ubuntu-latest
    outputs:
      chunks: \${{ steps.chunks.outputs.chunks }}
    steps:
      - id: chunks
        run: echo 'chunks={"chunk":[0,1]}' >> "$GITHUB_OUTPUT"
  run:
    needs: chunks
    permissions:
${permissions}    strategy:
      max-parallel: 1
      fail-fast: true
      matrix: \${{ fromJSON(needs.chunks.outputs.chunks) }}
    uses: ./.github/workflows/called.yml
${call}  after:
    needs: [chunks, run]
    if: always() && needs.chunks.result == 'success'
    runs-on: ubuntu-latest
    steps:
      - run: echo "run was \${{ needs.run.result }}"
`;
}

describe("workflow simulation: reusable workflows", () => {
  let work: string;
  let remote: string;
  let clone: string;
  let options: RunnerOptions;

  /** Commits the two workflow files and returns the commit. */
  function commit(callerText: string, calledText = CALLED): string {
    mkdirSync(join(clone, ".github", "workflows"), { recursive: true });
    writeFileSync(join(clone, ".github", "workflows", "caller.yml"), callerText);
    writeFileSync(join(clone, ".github", "workflows", "called.yml"), calledText);
    git(clone, "add", "-A");
    git(clone, "commit", "-q", "--allow-empty", "-m", "workflows");
    git(clone, "push", "-q", "origin", "main");
    return git(clone, "rev-parse", "HEAD");
  }

  const push = (sha: string) => runWorkflow(options, "caller.yml", { name: "push", sha, ref: "refs/heads/main" });

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "entra-gitops-reusable-"));
    remote = join(work, "remote.git");
    git(work, "init", "-q", "--bare", "-b", "main", remote);
    clone = join(work, "clone");
    git(work, "init", "-q", "-b", "main", clone);
    for (const [key, value] of [["user.name", "Test"], ["user.email", "test@example.test"], ["commit.gpgsign", "false"]] as const) git(clone, "config", key, value);
    git(clone, "remote", "add", "origin", remote);
    options = {
      repository: "contoso/entra-config",
      remote,
      github: new FakeGitHub("contoso", "entra-config", join(work, "github")),
      vars: {},
      environments: {},
      actions: {},
      runnerEnv: { PATH: process.env.PATH ?? "/usr/bin:/bin", FAIL_ON: "" },
      oidc: () => ({}),
      workDir: join(work, "runs"),
    };
    mkdirSync(options.workDir, { recursive: true });
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("runs the called workflow once per chunk, with its input, its own needs and matrix, and its GitHub environments", async () => {
    const result = await push(commit(caller("    with:\n      chunk: ${{ matrix.chunk }}\n")));
    expect(result.jobs.map((j) => `${j.job} ${j.caller?.matrix.chunk ?? j.matrix.chunk ?? ""} ${j.environment ?? ""} ${j.conclusion}`)).toEqual([
      "chunks   success",
      "run 0  success",
      "run/list 0  success",
      "run/work 0 a success",
      "run/work 0 b success",
      "run 1  success",
      "run/list 1  success",
      "run/work 1 c success",
      "after   success",
    ]);
    expect(result.jobs.filter((j) => j.job === "run").map((j) => j.calls)).toEqual(["called.yml", "called.yml"]);
    expect(result.jobs.filter((j) => j.job === "run/work").map((j) => j.log.match(/working on \w+/)?.[0])).toEqual(["working on a", "working on b", "working on c"]);
    expect(result.jobs.at(-1)?.log).toContain("run was success");
  });

  it("a failure in one chunk stops the later chunks (fail-fast), and the jobs after the call see it", async () => {
    options.runnerEnv.FAIL_ON = "a";
    try {
      const result = await push(commit(caller("    with:\n      chunk: ${{ matrix.chunk }}\n")));
      expect(result.jobs.map((j) => `${j.job} ${j.caller?.matrix.chunk ?? j.matrix.chunk ?? ""} ${j.matrix.environment ?? ""} ${j.conclusion}`)).toEqual([
        "chunks   success",
        "run 0  failure",
        "run/list 0  success",
        "run/work 0 a failure",
        "run/work 0 b cancelled",
        "run 1  cancelled",
        "after   success",
      ]);
      expect(result.jobs.at(-1)?.log).toContain("run was failure");
      expect(result.run.conclusion).toBe("failure");
    } finally {
      options.runnerEnv.FAIL_ON = "";
    }
  });

  it.each([
    ["called jobs asking for more than the calling job grants", caller("    with:\n      chunk: ${{ matrix.chunk }}\n", "      contents: read\n"), /called\.yml, job work asks for id-token: write, but the calling job run of caller\.yml allows id-token: none/],
    ["an input the called workflow does not declare", caller("    with:\n      chunk: ${{ matrix.chunk }}\n      size: 2\n"), /passes input size, which called\.yml does not declare/],
    ["a required input not passed", caller("    with: {}\n"), /does not pass the required input chunk of called\.yml/],
    ["a number input given text", caller("    with:\n      chunk: first\n"), /input chunk of called\.yml is a number; job run passes "first"/],
    ["secrets passed on", caller("    with:\n      chunk: ${{ matrix.chunk }}\n    secrets: inherit\n"), /passes secrets to \.\/\.github\/workflows\/called\.yml/],
    ["steps beside uses", caller("    with:\n      chunk: ${{ matrix.chunk }}\n    runs-on: ubuntu-latest\n"), /has runs-on:, which GitHub does not allow on a job that calls a reusable workflow/],
    ["a workflow of another repository", caller("    with:\n      chunk: ${{ matrix.chunk }}\n").replace("./.github/workflows/called.yml", "contoso/shared/.github/workflows/called.yml@0123456789abcdef0123456789abcdef01234567"), /runs reusable workflows of this repository only/],
  ])("stops on %s", async (_, text, message) => {
    await expect(push(commit(text))).rejects.toThrow(message);
    await expect(push(commit(text))).rejects.toBeInstanceOf(SimulationError);
  });

  it("stops when the called workflow has no workflow_call trigger", async () => {
    await expect(push(commit(caller("    with:\n      chunk: ${{ matrix.chunk }}\n"), CALLED.replace("on:\n  workflow_call:", "on:\n  workflow_dispatch:")))).rejects.toThrow(/called\.yml has no on: workflow_call/);
  });
});
