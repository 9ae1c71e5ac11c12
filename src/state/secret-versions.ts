/**
 * The per-environment record of write-only secrets' version markers last applied,
 * `.entra-gitops/state/<env>/secret-versions.yaml` (README "Rotating a write-only secret"): by
 * document address `KIND/NAME`, the secret property and the marker apply last wrote it under,
 * e.g. `identityProvider/google: { clientSecret: 2 }`. Plan compares a document's marker with it;
 * apply records what it wrote. Markers only: never a secret, nor anything derived from one.
 */
import type { JsonObject, JsonValue } from "../model/document.js";
import { readStateText, writeStateText } from "./state-file.js";
import { formatAddressMap, parseAddressMap } from "./address-map-file.js";
import { StateFileError } from "./id-map.js";
import { stateEnvironment } from "./paths.js";

/** Address `KIND/NAME` → secret property → the version marker last applied. */
export type SecretVersions = Map<string, JsonObject>;

const MARKER = (value: JsonValue | undefined): boolean => (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) || (typeof value === "string" && value.trim() !== "");

export function formatSecretVersions(versions: ReadonlyMap<string, JsonObject>, environment: string | undefined): string {
  return formatAddressMap(versions as ReadonlyMap<string, JsonValue>, [
    `Version markers of the write-only secrets last applied in environment "${stateEnvironment(environment)}", by document address KIND/NAME.`,
    "Written by entra-gitops apply when it writes a secret; markers only, never a secret.",
  ]);
}

export function parseSecretVersions(text: string, file: string): { versions: SecretVersions; diagnostics: ReturnType<typeof parseAddressMap>["diagnostics"] } {
  const { entries, diagnostics } = parseAddressMap<JsonObject>(text, file, (value) =>
    value !== null && typeof value === "object" && !Array.isArray(value) && Object.values(value).every(MARKER)
      ? undefined
      : "expected the object's secret properties, each with its version marker (an integer or a string)",
  );
  return { versions: entries, diagnostics };
}

/** The record in `file`; empty when the file does not exist. Invalid content throws `StateFileError`. */
export async function readSecretVersions(file: string): Promise<SecretVersions> {
  const text = await readStateText(file);
  if (text === undefined) return new Map();
  const { versions, diagnostics } = parseSecretVersions(text, file);
  if (diagnostics.some((d) => d.severity === "error")) throw new StateFileError(`${file} is not a valid record of secret versions`, diagnostics);
  return versions;
}

/** Writes the record atomically; false when the file already held exactly this text. */
export async function writeSecretVersions(file: string, versions: ReadonlyMap<string, JsonObject>, environment: string | undefined): Promise<boolean> {
  return writeStateText(file, formatSecretVersions(versions, environment));
}
