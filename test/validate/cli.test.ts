import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, test, vi } from "vitest";
import { command } from "../../src/cli/validate.js";
import { ExitRequest } from "../../src/cli/errors.js";

function program(): Command {
  return new Command("entra-gitops").option("--config <file>", "", "entra-gitops.yaml").exitOverride().addCommand(command().exitOverride());
}

async function capture(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    await program().parseAsync(args, { from: "user" });
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (error instanceof ExitRequest) return { code: error.exitCode, stdout, stderr };
    throw error;
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("entra-gitops validate", () => {
  test("prints every diagnostic and exits 1 on errors, 0 when fixed", async () => {
    const root = await mkdtemp(join(tmpdir(), "eg-cli-validate-"));
    const folder = join(root, "tenant-config");
    await mkdir(join(folder, "namedLocation"), { recursive: true });
    const file = join(folder, "namedLocation", "office.yaml");
    await writeFile(file, 'kind: namedLocation\nname: office\nspec:\n  "@odata.type": "#microsoft.graph.ipNamedLocation"\n  displayName: Office\n  isTrusted: yes\n  ipRanges:\n    - "@odata.type": "#microsoft.graph.iPv4CidrRange"\n      cidrAddress: 192.0.2.0/24\n');
    const bad = await capture(["validate", folder]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("namedLocation/office.yaml:6:14: error: spec.isTrusted: must be boolean, not a string");
    expect(bad.stdout).toBe("1 document(s) checked: 1 error(s), 0 warning(s)\n");

    await writeFile(file, (await import("node:fs")).readFileSync(file, "utf8").replace("isTrusted: yes", "isTrusted: true"));
    const good = await capture(["validate", file]);
    expect(good).toEqual({ code: 0, stdout: "1 document(s) checked: 0 error(s), 0 warning(s)\n", stderr: "" });
  });

  test("a path that does not exist is an error", async () => {
    const result = await capture(["validate", join(tmpdir(), "no-such-folder-eg")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no-such-folder-eg: error: no such file or folder/);
  });
});
