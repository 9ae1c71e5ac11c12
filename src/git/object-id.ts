import { createHash } from "node:crypto";

/** The id git gives a blob of these bytes: SHA-1, or SHA-256 in a repository of 64-digit ids. */
export function blobId(bytes: Buffer | string, digits: number): string {
  const data = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
  return createHash(digits === 64 ? "sha256" : "sha1").update(`blob ${data.length}\0`).update(data).digest("hex");
}
