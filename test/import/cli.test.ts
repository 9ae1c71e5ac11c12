import { mkdtemp, mkdir, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, test, vi } from "vitest";
import { command } from "../../src/cli/import.js";
import { ExitRequest, UserError } from "../../src/cli/errors.js";

function program(): Command {
  return new Command("entra-gitops").option("--config <file>", "", "entra-gitops.yaml").exitOverride().addCommand(command().exitOverride());
}

async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const before = process.cwd();
  process.chdir(cwd);
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    await program().parseAsync(args, { from: "user" });
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (error instanceof ExitRequest) return { code: error.exitCode, stdout, stderr };
    if (error instanceof UserError) return { code: error.exitCode, stdout, stderr: `${stderr}error: ${error.message}\n` };
    throw error;
  } finally {
    vi.restoreAllMocks();
    process.chdir(before);
  }
}

afterEach(() => vi.restoreAllMocks());

describe("entra-gitops import", () => {
  test("writes documents into tenant-config/, maps placeholders, reports refusals and exits 1", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "eg-cli-import-"));
    await mkdir(join(cwd, "exports"));
    await writeFile(join(cwd, "exports", "office.json"), JSON.stringify({ "@odata.type": "#microsoft.graph.ipNamedLocation", displayName: "Office <SITE>", isTrusted: true, ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "192.0.2.0/24" }] }));
    await writeFile(join(cwd, "exports", "bad.json"), "[1,]");
    await writeFile(join(cwd, "map.yaml"), "<SITE>: Amsterdam\n");
    const result = await run(["import", "--from", "exports", "--map", "map.yaml"], cwd);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`created ${join("tenant-config", "namedLocation", "office-amsterdam.yaml")} ← office.json\n1 document(s) imported, 1 refused\n`);
    expect(result.stderr).toBe("refused bad.json:\n  invalid JSON at line 1, column 4: Unexpected token ']', \"[1,]\" is not valid JSON (trailing comma)\n");
    expect(await readdir(join(cwd, "tenant-config", "namedLocation"))).toEqual(["office-amsterdam.yaml"]);
  });

  test("a map file that is not a string map is refused before anything is written", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "eg-cli-import-"));
    await mkdir(join(cwd, "exports"));
    await writeFile(join(cwd, "map.yaml"), "<SITE>:\n  nested: true\n");
    const result = await run(["import", "--from", "exports", "--map", "map.yaml"], cwd);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/map\.yaml: the value of "<SITE>" must be a string/);
    expect(await readdir(cwd)).toEqual(["exports", "map.yaml"]);
  });
});
