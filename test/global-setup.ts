/**
 * Runs once in the vitest main process before any worker starts: creates the sandbox certificate
 * in a temporary directory and exports `NODE_EXTRA_CA_CERTS` (that certificate plus any CAs the
 * variable named before) so every worker (a forked process)
 * trusts it from its first instruction, for global fetch and for node:https alike. The directory
 * reaches the tests through `provide("sandboxCertDir")` and `ENTRA_GITOPS_TEST_CERT_DIR`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { ensureSandboxKeys } from "../src/sandbox/front/certificates.js";

declare module "vitest" {
  export interface ProvidedContext {
    sandboxCertDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const certDir = mkdtempSync(join(tmpdir(), "entra-gitops-test-certs-"));
  const keys = await ensureSandboxKeys(certDir);
  // Keep whatever extra CAs the environment already trusted (e.g. a proxy's), plus the sandbox's.
  const previous = process.env.NODE_EXTRA_CA_CERTS;
  const bundle = join(certDir, "test-ca-bundle.pem");
  const extra = previous && existsSync(previous) ? readFileSync(previous, "utf8") : "";
  writeFileSync(bundle, `${keys.cert.trim()}\n${extra}`);
  process.env.NODE_EXTRA_CA_CERTS = bundle;
  process.env.ENTRA_GITOPS_TEST_CERT_DIR = certDir;
  project.provide("sandboxCertDir", certDir);
  return () => rmSync(certDir, { recursive: true, force: true });
}
