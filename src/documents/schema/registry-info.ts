/**
 * The kind registry's descriptors as schema inputs. Until every kind has a descriptor the fallback
 * table in kind-info.ts fills the gaps (see `schemaKindInfos`).
 */
import type { SchemaKindInfo } from "./kind-info.js";

export function registeredKindInfos(): SchemaKindInfo[] {
  return [];
}
