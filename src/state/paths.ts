/**
 * Where per-environment tool state lives in a configuration repository:
 * `.entra-gitops/state/<env>/` next to `entra-gitops.yaml`, `<env>` being the environment's name
 * or `default` when the configuration defines none.
 */
import { join } from "node:path";

export const STATE_ROOT = ".entra-gitops/state";
/** Environment key used when the configuration defines no environment. */
export const DEFAULT_STATE_ENV = "default";
export const ID_MAP_FILE = "ids.yaml";
export const CREDENTIALS_FILE = "credentials.yaml";
export const SECRET_VERSIONS_FILE = "secret-versions.yaml";

/** The state key of an environment: its name, or `default`. */
export function stateEnvironment(environment: string | undefined): string {
  return environment ?? DEFAULT_STATE_ENV;
}

/** `.entra-gitops/state/<env>/<file>`, relative to the folder of `entra-gitops.yaml` (POSIX separators). */
export function stateRelativePath(environment: string | undefined, file: string): string {
  return `${STATE_ROOT}/${stateEnvironment(environment)}/${file}`;
}

/** The same path under `rootDir`. */
export function statePath(rootDir: string, environment: string | undefined, file: string): string {
  return join(rootDir, ...stateRelativePath(environment, file).split("/"));
}
