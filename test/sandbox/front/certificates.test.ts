import { X509Certificate, createPrivateKey } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ensureSandboxKeys } from "../../../src/sandbox/front/certificates.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("sandbox key material", () => {
  it("creates one matching certificate with an IP SAN even when started concurrently, and reuses it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sandbox-keys-"));
    dirs.push(dir);
    const all = await Promise.all([ensureSandboxKeys(dir), ensureSandboxKeys(dir), ensureSandboxKeys(dir)]);
    expect(new Set(all.map((k) => k.cert)).size).toBe(1);
    expect(new Set(all.map((k) => k.signingKey)).size).toBe(1);
    const first = all[0];
    if (!first) throw new Error("no keys");
    const cert = new X509Certificate(first.cert);
    expect(cert.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(cert.subjectAltName).toContain("DNS:localhost");
    expect(cert.checkPrivateKey(createPrivateKey(first.key))).toBe(true);
    expect(cert.checkHost("localhost")).toBe("localhost");
    expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");

    const again = await ensureSandboxKeys(dir);
    expect(again.cert).toBe(first.cert);
    expect(again.signingKey).toBe(first.signingKey);
  });

  it("replaces a certificate whose key does not match, keeping the token-signing key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sandbox-keys-"));
    dirs.push(dir);
    const first = await ensureSandboxKeys(dir);
    writeFileSync(first.keyPath, first.signingKey);
    const second = await ensureSandboxKeys(dir);
    expect(second.cert).not.toBe(first.cert);
    expect(new X509Certificate(second.cert).checkPrivateKey(createPrivateKey(second.key))).toBe(true);
    expect(second.signingKey).toBe(first.signingKey);
  });
});
