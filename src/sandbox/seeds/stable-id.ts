import { createHash } from "node:crypto";

/**
 * A GUID derived from a name (SHA-256, shaped as an RFC 4122 version-4 UUID), so a seed creates the
 * same ids on every run: `stableId("user:alice")` is always the same.
 */
export function stableId(name: string, namespace = "entra-gitops-demo"): string {
  const hex = createHash("sha256").update(`${namespace}:${name}`).digest("hex");
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
