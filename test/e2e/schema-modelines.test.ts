/**
 * Editor validation in a configuration repository (README "Document format"): `init` copies the
 * package's JSON schemas to `.entra-gitops/schemas/`, `export` refreshes them, and the `$schema`
 * modeline of every document (and of entra-gitops.yaml) resolves to one of them from the file's own
 * folder, with no entra-gitops package beside the repository.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageSchemas, schemaDirFor, SCHEMAS_FOLDER } from "../../src/config/index.js";
import { git, runCli, sandboxEnv } from "../helpers/cli.js";
import { startSandbox, type StartedSandbox } from "../helpers/sandbox.js";

/** Every `.yaml` file under `dir`, recursively. */
function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".yaml"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** The file a `# yaml-language-server: $schema=PATH` first line points at, resolved from the file's folder. */
function modelineTarget(file: string): string {
  const first = readFileSync(file, "utf8").split("\n")[0] ?? "";
  const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
  if (!match) throw new Error(`${file}: no $schema modeline on the first line (${first})`);
  return resolve(dirname(file), match[1] ?? "");
}

describe("$schema modelines resolve in a repository made by init + export", () => {
  let started: StartedSandbox;
  let work: string;
  let repo: string;
  const schemas = packageSchemas();

  async function inRepo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const cwd = process.cwd();
    process.chdir(repo);
    try {
      return await runCli(args, sandboxEnv(started.sandbox));
    } finally {
      process.chdir(cwd);
    }
  }

  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    work = mkdtempSync(join(tmpdir(), "entra-gitops-schemas-"));
    repo = join(work, "contoso-entra");
    const init = await runCli(["init", repo, "--action", "contoso/entra-gitops@0123456789abcdef0123456789abcdef01234567"]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(`created contoso-entra/${SCHEMAS_FOLDER}/: ${schemas.size} JSON schema(s)`.replace("contoso-entra/", `${relative(process.cwd(), repo)}/`));
    git(work, "init", "-q", "-b", "main", repo);
    const exported = await inRepo(["--env", "production", "export"]);
    expect(exported.code, exported.stderr).toBe(0);
  });
  afterAll(async () => {
    await started?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("init copied every package schema, byte for byte", () => {
    expect(schemas.size).toBeGreaterThan(10);
    expect(readdirSync(join(repo, SCHEMAS_FOLDER)).sort()).toEqual([...schemas.keys()].sort());
    for (const [name, content] of schemas) expect(readFileSync(join(repo, SCHEMAS_FOLDER, name), "utf8"), name).toBe(content);
  });

  it("every document's modeline, and the configuration's, resolves to the schema of its kind", () => {
    const documents = yamlFiles(join(repo, "tenant-config"));
    expect(documents.length).toBeGreaterThan(50);
    for (const file of documents) {
      const kind = relative(join(repo, "tenant-config"), file).split("/")[0] ?? "";
      const target = modelineTarget(file);
      expect(target, file).toBe(join(repo, SCHEMAS_FOLDER, `${kind}.schema.json`));
      expect(JSON.parse(readFileSync(target, "utf8")), file).toEqual(JSON.parse(schemas.get(`${kind}.schema.json`) ?? "null"));
    }
    expect(modelineTarget(join(repo, "entra-gitops.yaml"))).toBe(join(repo, SCHEMAS_FOLDER, "entra-gitops.schema.json"));
  });

  it("export refreshes a stale or missing schema copy", async () => {
    const [first, second] = [...schemas.keys()];
    writeFileSync(join(repo, SCHEMAS_FOLDER, first ?? ""), "{}\n");
    rmSync(join(repo, SCHEMAS_FOLDER, second ?? ""));
    const exported = await inRepo(["--env", "production", "export"]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(`refreshed 2 schema(s) in ${SCHEMAS_FOLDER}/`);
    for (const [name, content] of schemas) expect(readFileSync(join(repo, SCHEMAS_FOLDER, name), "utf8"), name).toBe(content);
    const again = await inRepo(["--env", "production", "export"]);
    expect(again.stdout).not.toContain("refreshed");
  });

  it("a nested configDir gets the deeper relative path", () => {
    expect(schemaDirFor("/r", "/r/tenant-config")).toBe("../../.entra-gitops/schemas");
    expect(schemaDirFor("/r", "/r/entra/tenant")).toBe("../../../.entra-gitops/schemas");
    expect(resolve("/r/entra/tenant/group", schemaDirFor("/r", "/r/entra/tenant"))).toBe(join("/r", SCHEMAS_FOLDER));
  });

  it("this repository's own tenant-config/ resolves too (.entra-gitops/schemas links to schemas/)", () => {
    for (const file of yamlFiles(join(process.cwd(), "tenant-config"))) {
      const kind = relative(join(process.cwd(), "tenant-config"), file).split("/")[0] ?? "";
      expect(readFileSync(modelineTarget(file), "utf8"), file).toBe(schemas.get(`${kind}.schema.json`));
    }
  });
});
