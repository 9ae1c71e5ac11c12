/**
 * The GitHub Actions matrix for many environments (README "Several tenants"). GitHub refuses a
 * matrix of more than 256 jobs, so the environments are cut into chunks of at most 256: the caller
 * workflow runs one matrix over chunk numbers, each chunk calls a reusable workflow whose own
 * matrix lists that chunk's environments (256 × 256 jobs at most).
 */

/** GitHub's limit: "A matrix can generate a maximum of 256 jobs per workflow run." */
export const GITHUB_MATRIX_LIMIT = 256;
/** GitHub environment names are at most 255 characters; the read-only job uses `<name>-ci`. */
const GITHUB_ENVIRONMENT_NAME_MAX = 255 - "-ci".length;

export interface MatrixEntry {
  /** The environment name in entra-gitops.yaml, passed as `--env`. */
  environment: string;
}

export class MatrixError extends Error {}

/** Environments in the configuration's order, cut into chunks of `size` (1–256). */
export function chunkEnvironments(names: readonly string[], size = GITHUB_MATRIX_LIMIT): MatrixEntry[][] {
  if (!Number.isInteger(size) || size < 1 || size > GITHUB_MATRIX_LIMIT) {
    throw new MatrixError(`chunk size must be a whole number from 1 to ${GITHUB_MATRIX_LIMIT} (GitHub runs at most ${GITHUB_MATRIX_LIMIT} jobs per matrix), got ${size}`);
  }
  checkGitHubNames(names);
  const chunks: MatrixEntry[][] = [];
  for (let start = 0; start < names.length; start += size) {
    chunks.push(names.slice(start, start + size).map((environment) => ({ environment })));
  }
  return chunks;
}

/**
 * Each environment becomes a GitHub environment of the same name (and `<name>-ci` for the read-only
 * jobs): GitHub compares environment names without case and limits their length, so two names that
 * differ only in case, or a name too long, would send two jobs to one set of credentials or fail.
 */
function checkGitHubNames(names: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    if (name.length > GITHUB_ENVIRONMENT_NAME_MAX) {
      throw new MatrixError(`environment "${name.slice(0, 40)}…" is ${name.length} characters; GitHub environment names are at most 255 (${GITHUB_ENVIRONMENT_NAME_MAX} leaves room for "-ci")`);
    }
    if (!/^[A-Za-z0-9._-]+$/.test(name)) {
      throw new MatrixError(`environment "${name}": use letters, digits, ".", "_" and "-" only, so the name is a valid GitHub environment and artifact name`);
    }
    const key = name.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined) throw new MatrixError(`environments "${other}" and "${name}" differ only in case; GitHub environment names are not case-sensitive, so both jobs would use one environment's credentials`);
    seen.set(key, name);
  }
}
