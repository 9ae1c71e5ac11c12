/**
 * The JSON schemas inside a configuration repository (README "Document format"): `init` copies the
 * package's `schemas/*.schema.json` to `.entra-gitops/schemas/` beside `entra-gitops.yaml`, `export`
 * refreshes them, and every document's `yaml-language-server` modeline points there by a relative
 * path, so editor validation works in any clone without the package installed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { PACKAGE_SCHEMAS } from "./package-files.js";

/** Repository-relative folder of the copies (beside `.entra-gitops/state/`). */
export const SCHEMAS_FOLDER = ".entra-gitops/schemas";

/** File name → content of every schema the package ships. */
export function packageSchemas(): Map<string, string> {
  const files = readdirSync(PACKAGE_SCHEMAS).filter((f) => f.endsWith(".schema.json")).sort();
  return new Map(files.map((f) => [f, readFileSync(new URL(f, PACKAGE_SCHEMAS), "utf8")]));
}

/**
 * The modeline's folder as seen from a document (`<configDir>/<kind>/<name>.yaml`): POSIX
 * separators, e.g. `../../.entra-gitops/schemas` for the default `configDir: tenant-config`.
 */
export function schemaDirFor(rootDir: string, configDirPath: string): string {
  return relative(join(configDirPath, "kind"), join(rootDir, SCHEMAS_FOLDER)).split(sep).join("/");
}

/**
 * Writes the package's schemas into `<rootDir>/.entra-gitops/schemas/` where missing or different;
 * returns the repository-relative paths written. Other files there are left alone.
 */
export async function refreshSchemas(rootDir: string): Promise<string[]> {
  const folder = join(rootDir, SCHEMAS_FOLDER);
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  for (const [name, content] of packageSchemas()) {
    const path = join(folder, name);
    const current = await readFile(path, "utf8").catch(() => undefined);
    if (current === content) continue;
    await writeFile(path, content);
    written.push(`${SCHEMAS_FOLDER}/${name}`);
  }
  return written;
}
