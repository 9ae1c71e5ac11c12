/**
 * `configDir` stays inside the folder of `entra-gitops.yaml` (the repository): export writes
 * there and plan reads there, so a value like `../x`, an absolute path, `.git` or a symbolic link
 * pointing elsewhere would let a configuration change make the tool read or write outside it.
 */
import { existsSync, lstatSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, posix, relative, win32 } from "node:path";

/** Folders a configuration folder may not be or be inside: git's own data and the tool's state. */
const RESERVED = new Set([".git", ".entra-gitops"]);

/** What is wrong with `configDir` as written, or undefined. Pure: no file system access. */
export function configDirProblem(configDir: string): string | undefined {
  if (configDir.trim() === "") return "must name a folder (default tenant-config)";
  if (isAbsolute(configDir) || win32.isAbsolute(configDir)) return `must be a path relative to the configuration file's folder, not the absolute path ${configDir}`;
  const normalized = posix.normalize(configDir.replace(/\\/g, "/"));
  if (normalized === ".." || normalized.startsWith("../")) return `${configDir} leaves the repository (the folder of the configuration file)`;
  const reserved = normalized.split("/").find((segment) => RESERVED.has(segment.toLowerCase()));
  if (reserved) return `${configDir} is inside ${reserved}/, which the tool never writes documents into`;
  return undefined;
}

/**
 * Checks the resolved folder against the disk: neither it nor a folder on the way may be a
 * symbolic link leading out of `rootDir`, and the folder itself may not be a symbolic link.
 */
export function configDirOnDiskProblem(rootDir: string, configDirPath: string): string | undefined {
  if (existsSync(configDirPath) && lstatSync(configDirPath).isSymbolicLink()) {
    return `${configDirPath} is a symbolic link; the configuration folder must be a plain folder in the repository`;
  }
  let existing = configDirPath;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const rel = relative(realpathSync(rootDir), realpathSync(existing));
  if (rel === ".." || rel.startsWith(`..${"/"}`) || rel.startsWith("..\\") || isAbsolute(rel)) {
    return `${configDirPath} resolves to ${realpathSync(existing)}, outside the repository ${rootDir}`;
  }
  const reserved = rel.split(/[\\/]/).find((segment) => RESERVED.has(segment.toLowerCase()));
  if (reserved) return `${configDirPath} resolves into ${reserved}/`;
  return undefined;
}
