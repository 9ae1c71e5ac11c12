/**
 * The sandbox's key material, kept in one directory and reused across starts:
 * - `sandbox-cert.pem` / `sandbox-key.pem`: the self-signed TLS certificate (SANs 127.0.0.1, ::1,
 *   localhost; an IP SAN is what Node checks for https://127.0.0.1), trusted by clients through
 *   `NODE_EXTRA_CA_CERTS`;
 * - `token-signing-key.pem`: the RSA key that signs access tokens, so tokens survive a restart.
 * Files are written to a temporary name and renamed, so concurrent readers never see half a file,
 * and creation holds a lock file, so two sandboxes starting at once cannot mix one's key with the
 * other's certificate.
 */
import { createPrivateKey, generateKeyPairSync, X509Certificate } from "node:crypto";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface SandboxKeyFiles {
  certDir: string;
  certPath: string;
  keyPath: string;
  signingKeyPath: string;
  cert: string;
  key: string;
  signingKey: string;
}

const CERT_FILE = "sandbox-cert.pem";
const KEY_FILE = "sandbox-key.pem";
const SIGNING_KEY_FILE = "token-signing-key.pem";

/** Paths of the key files in `certDir`, whether or not they exist yet. */
export function keyFilePaths(certDir: string): Pick<SandboxKeyFiles, "certPath" | "keyPath" | "signingKeyPath"> {
  return {
    certPath: join(certDir, CERT_FILE),
    keyPath: join(certDir, KEY_FILE),
    signingKeyPath: join(certDir, SIGNING_KEY_FILE),
  };
}

/** Loads the key files from `certDir`, creating any that are missing (or an expired certificate). */
export async function ensureSandboxKeys(certDir: string): Promise<SandboxKeyFiles> {
  mkdirSync(certDir, { recursive: true });
  const paths = keyFilePaths(certDir);
  if (!keysUsable(paths)) {
    const release = await acquireLock(join(certDir, ".sandbox-keys.lock"));
    try {
      if (!keysUsable(paths)) await createKeys(paths);
    } finally {
      release();
    }
  }
  return {
    certDir,
    ...paths,
    cert: readFileSync(paths.certPath, "utf8"),
    key: readFileSync(paths.keyPath, "utf8"),
    signingKey: readFileSync(paths.signingKeyPath, "utf8"),
  };
}

type KeyPaths = ReturnType<typeof keyFilePaths>;

function keysUsable(paths: KeyPaths): boolean {
  return tlsUsable(paths) && existsSync(paths.signingKeyPath);
}

function tlsUsable(paths: KeyPaths): boolean {
  if (!existsSync(paths.certPath) || !existsSync(paths.keyPath)) return false;
  try {
    const cert = new X509Certificate(readFileSync(paths.certPath));
    if (new Date(cert.validTo).getTime() < Date.now() + 24 * 3600 * 1000) return false;
    return cert.checkPrivateKey(createPrivateKey(readFileSync(paths.keyPath)));
  } catch {
    return false;
  }
}

async function createKeys(paths: KeyPaths): Promise<void> {
  if (!tlsUsable(paths)) {
    const pems = await generate([{ name: "commonName", value: "entra-gitops sandbox" }], {
      keySize: 2048,
      algorithm: "sha256",
      notAfterDate: new Date(Date.now() + 825 * 24 * 3600 * 1000),
      extensions: [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
        { name: "extKeyUsage", serverAuth: true },
        {
          name: "subjectAltName",
          altNames: [
            { type: 7, ip: "127.0.0.1" },
            { type: 7, ip: "::1" },
            { type: 2, value: "localhost" },
          ],
        },
      ],
    });
    writeAtomically(paths.keyPath, pems.private, 0o600);
    writeAtomically(paths.certPath, pems.cert, 0o644);
  }
  if (!existsSync(paths.signingKeyPath)) {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    writeAtomically(paths.signingKeyPath, privateKey.export({ type: "pkcs8", format: "pem" }).toString(), 0o600);
  }
}

/** An exclusive lock file; a lock older than 60 s is taken to be left by a crashed process. */
async function acquireLock(lockPath: string): Promise<() => void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      closeSync(openSync(lockPath, "wx"));
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      try {
        if (Date.now() - statSync(lockPath).mtimeMs > 60_000) rmSync(lockPath, { force: true });
      } catch {
        // The holder released it meanwhile.
      }
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
  }
  throw new Error(`timed out waiting for ${lockPath}`);
}

function writeAtomically(path: string, content: string, mode: number): void {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, content, { mode });
  chmodSync(temp, mode);
  renameSync(temp, path);
}
