/**
 * Runs once in the vitest main process before any worker starts: creates the sandbox certificate
 * in a temporary directory and exports `NODE_EXTRA_CA_CERTS` so every worker (a forked process)
 * trusts it from its first instruction, for global fetch and for node:https alike. The directory
 * reaches the tests through `provide("sandboxCertDir")` and `ENTRA_GITOPS_TEST_CERT_DIR`.
 */
import { mkdtempSync, rmSync } from "node:fs";
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
  process.env.NODE_EXTRA_CA_CERTS = keys.certPath;
  process.env.ENTRA_GITOPS_TEST_CERT_DIR = certDir;
  project.provide("sandboxCertDir", certDir);
  return () => rmSync(certDir, { recursive: true, force: true });
}
