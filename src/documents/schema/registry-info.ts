/**
 * The kind registry's descriptors as schema inputs (graphType, references, relationships,
 * server-managed fields, subtypes). The fallback table in kind-info.ts only fills kinds the
 * registry lacks (see `schemaKindInfos`).
 */
import { allKinds } from "../../kinds/registry.js";
import type { SchemaKindInfo } from "./kind-info.js";

export function registeredKindInfos(): SchemaKindInfo[] {
  return allKinds();
}
