import type { ResolvedConfig } from "../config/index.js";
import { readIdMap, readIdMapInPlace, writeIdMap } from "./id-map.js";
import type { IdMap } from "./id-map.js";
import { CREDENTIALS_FILE, ID_MAP_FILE, SECRET_VERSIONS_FILE, statePath, stateRelativePath } from "./paths.js";
import { readSecretVersions } from "./secret-versions.js";
import type { SecretVersions } from "./secret-versions.js";
import { SYNC_STATE_FILE } from "./sync-state.js";

/** The chosen environment's name (undefined when the configuration defines none). */
export function environmentOf(config: ResolvedConfig): string | undefined {
  return config.environment?.name;
}

/** Absolute path of the chosen environment's id map. */
export function idMapFile(config: ResolvedConfig): string {
  return statePath(config.rootDir, environmentOf(config), ID_MAP_FILE);
}

/** Absolute path of the chosen environment's sync state (README "Sync state"). */
export function syncStateFile(config: ResolvedConfig): string {
  return statePath(config.rootDir, environmentOf(config), SYNC_STATE_FILE);
}

/** The id map's path relative to the folder of `entra-gitops.yaml`, for messages. */
export function idMapDisplayPath(config: ResolvedConfig): string {
  return stateRelativePath(environmentOf(config), ID_MAP_FILE);
}

export async function readEnvironmentIds(config: ResolvedConfig): Promise<IdMap> {
  return readIdMap(idMapFile(config));
}

/** The same map, only looked up (`drift`): read in place from a canonical text instead of parsed whole. */
export async function readEnvironmentIdsInPlace(config: ResolvedConfig): Promise<ReadonlyMap<string, string>> {
  return readIdMapInPlace(idMapFile(config));
}

export async function writeEnvironmentIds(config: ResolvedConfig, ids: ReadonlyMap<string, string>): Promise<boolean> {
  return writeIdMap(idMapFile(config), ids, environmentOf(config));
}

/** Absolute path of the chosen environment's credential metadata file (several environments only). */
export function credentialsFile(config: ResolvedConfig): string {
  return statePath(config.rootDir, environmentOf(config), CREDENTIALS_FILE);
}

/** Absolute path of the chosen environment's record of applied secret versions (README "Rotating a write-only secret"). */
export function secretVersionsFile(config: ResolvedConfig): string {
  return statePath(config.rootDir, environmentOf(config), SECRET_VERSIONS_FILE);
}

export async function readEnvironmentSecretVersions(config: ResolvedConfig): Promise<SecretVersions> {
  return readSecretVersions(secretVersionsFile(config));
}
