import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { validatePaths } from "../../src/engine/validate.js";
import { formatDiagnostic } from "../../src/cli/errors.js";
import { runCli } from "../helpers/cli.js";

/** A policy document with `tail` as the lines after `state:` (conditions, controls). */
const policy = (tail: string): string => `kind: conditionalAccessPolicy
name: p
spec:
  displayName: P
  state: enabled
${tail}`;

const CONDITIONS = `  conditions:
    users:
      includeUsers: [All]
    applications:
      includeApplications: [All]
`;

async function folder(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "eg-ca-rules-"));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

async function diagnostics(text: string): Promise<string[]> {
  const root = await folder({ "conditionalAccessPolicy/p.yaml": text });
  const { diagnostics: found } = await validatePaths([root]);
  return found.map((d) => formatDiagnostic({ ...d, file: d.file ? relative(root, d.file) : undefined }));
}

describe("Conditional Access nulls and missing parts Graph refuses are refused by validate", () => {
  test("grantControls: null with no session control: the line, the field and Graph's rule", async () => {
    expect(await diagnostics(policy(`${CONDITIONS}  grantControls: null\n`))).toEqual([
      "conditionalAccessPolicy/p.yaml:11:18: error: spec.grantControls: grantControls is null and no session control is set: Graph refuses a Conditional Access policy with neither grant controls nor session controls. Set grantControls (e.g. builtInControls: [mfa] with operator: OR, or [block]) or a sessionControls entry",
    ]);
  });

  test("grantControls left out, or naming no control, is refused the same way", async () => {
    expect((await diagnostics(policy(CONDITIONS)))[0]).toContain("spec.grantControls: grantControls is missing and no session control is set");
    expect((await diagnostics(policy(`${CONDITIONS}  grantControls:\n    operator: OR\n    builtInControls: []\n`)))[0]).toContain("grantControls names no control");
  });

  test("grantControls: null with a session control is what Graph accepts (a session-only policy)", async () => {
    expect(await diagnostics(policy(`${CONDITIONS}  grantControls: null\n  sessionControls:\n    signInFrequency:\n      isEnabled: true\n      type: hours\n      value: 4\n`))).toEqual([]);
  });

  test("grant controls without an operator, null applications and null users are refused with Graph's rule", async () => {
    expect(await diagnostics(policy(`${CONDITIONS}  grantControls:\n    builtInControls: [mfa]\n`))).toEqual([
      "conditionalAccessPolicy/p.yaml:12:5: error: spec.grantControls.operator: grantControls.operator is missing: Graph requires AND or OR when grant controls are set",
    ]);
    const nulls = await diagnostics(policy(`  conditions:\n    users: null\n    applications: null\n  grantControls:\n    operator: OR\n    builtInControls: [mfa]\n`));
    expect(nulls).toEqual([
      expect.stringMatching(/^conditionalAccessPolicy\/p\.yaml:7:12: error: spec\.conditions\.users: conditions\.users is null and there is no conditions\.clientApplications: Graph requires one of them/),
      expect.stringMatching(/^conditionalAccessPolicy\/p\.yaml:8:19: error: spec\.conditions\.applications: conditions\.applications is null: Graph requires it/),
    ]);
  });

  test("the CLI's validate exits 1 on grantControls: null", async () => {
    const root = await folder({
      "entra-gitops.yaml": "configDir: tenant-config\n",
      "tenant-config/conditionalAccessPolicy/p.yaml": policy(`${CONDITIONS}  grantControls: null\n`),
    });
    const run = await runCli(["--config", join(root, "entra-gitops.yaml"), "validate"]);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain("spec.grantControls: grantControls is null and no session control is set");
  });
});
