import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { command, parseSeed, runSandbox, sandboxOptions } from "../../../src/cli/sandbox.js";
import type { Sandbox } from "../../../src/sandbox/index.js";
import { OPERATOR, TENANT_ID, fakeTenant } from "./fake-tenant.js";

const run = promisify(execFile);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sandbox-cli-"));
  dirs.push(dir);
  return dir;
}

describe("entra-gitops sandbox", () => {
  it("parses its flags", () => {
    expect(parseSeed("demo")).toBe("demo");
    expect(parseSeed("empty")).toBe("empty");
    expect(parseSeed("seeds/x")).toEqual({ dir: join(process.cwd(), "seeds/x") });
    const options = sandboxOptions({ seed: "empty", envFile: "out/s.env", state: "s.json", port: 0, throttling: true, latency: 5 });
    expect(options).toMatchObject({ seed: "empty", envFile: join(process.cwd(), "out/s.env"), stateFile: join(process.cwd(), "s.json"), throttling: true, latencyMs: 5, port: 0 });
    const names = command().options.map((o) => o.long);
    expect(names).toEqual(["--port", "--seed", "--seed-env", "--state", "--write-env", "--env-file", "--throttling", "--latency", "--audit-latency", "--deleted-items-app-only"]);
    // --write-env is the name npx and node leave alone; --env-file stays for the installed binary.
    expect(sandboxOptions({ seed: "empty", writeEnv: "w.env" }).envFile).toBe(join(process.cwd(), "w.env"));
    expect(sandboxOptions({ seed: "empty" }).envFile).toBe(join(process.cwd(), ".sandbox/sandbox.env"));
    expect(() => sandboxOptions({ seed: "empty", writeEnv: "a.env", envFile: "b.env" })).toThrow(/name different files/);
    expect(sandboxOptions({ seed: "demo", envFile: "s.env", auditLatency: "off" }).auditLatency).toBe("off");
    const parse = (...args: string[]) => command().exitOverride().configureOutput({ writeErr: () => undefined }).action(() => undefined).parse(args, { from: "user" }).opts();
    expect(parse("--audit-latency", "realistic")).toMatchObject({ auditLatency: "realistic" });
    expect(parse("--audit-latency", "off")).toMatchObject({ auditLatency: "off" });
    expect(parse("--audit-latency", "90000")).toMatchObject({ auditLatency: 90_000 });
    expect(parse("--deleted-items-app-only", "refuse")).toMatchObject({ deletedItemsAppOnly: "refuse" });
    expect(sandboxOptions({ seed: "demo", envFile: "s.env", deletedItemsAppOnly: "refuse" }).deletedItemsAppOnly).toBe("refuse");
    expect(() => parse("--deleted-items-app-only", "maybe")).toThrow(/expected allow or refuse/);
    expect(() => parse("--audit-latency", "soon")).toThrow(/audit latency must be "realistic", "off" or a whole number of milliseconds/);
    expect(() => command().exitOverride().configureOutput({ writeErr: () => undefined }).parse(["--port", "x"], { from: "user" })).toThrow(/port must be an integer/);
  });

  it("writes a mode-600 env file that connects a fresh process, never prints the secret, and saves state on stop", async () => {
    const dir = tempDir();
    const envFile = join(dir, "conf", "sandbox.env");
    const stateFile = join(dir, "state.json");
    const lines: string[] = [];
    const controller = new AbortController();
    let sandbox: Sandbox | undefined;
    const running = runSandbox(
      { tenant: fakeTenant(), envFile, stateFile },
      { out: (line) => lines.push(line), signal: controller.signal, onReady: (s) => (sandbox = s) },
    );
    await vi_waitFor(() => sandbox !== undefined);
    const started = sandbox as unknown as Sandbox;

    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    // The directory was new, so it keeps itself out of git.
    expect(readFileSync(join(dir, "conf", ".gitignore"), "utf8")).toMatch(/^\*$/m);
    const env = Object.fromEntries(
      readFileSync(envFile, "utf8").split("\n").filter((l) => l && !l.startsWith("#")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    expect(env).toEqual({
      AZURE_TENANT_ID: TENANT_ID,
      AZURE_CLIENT_ID: OPERATOR.clientId,
      AZURE_CLIENT_SECRET: OPERATOR.clientSecret,
      AZURE_AUTHORITY_HOST: started.url,
      ENTRA_GITOPS_GRAPH_URL: started.url,
      NODE_EXTRA_CA_CERTS: join(dir, "conf", "sandbox-cert.pem"),
    });
    // The certificate sits next to the env file and is new: only the env file makes a process trust it.
    expect(existsSync(join(dir, "conf", "sandbox-cert.pem"))).toBe(true);
    const script = "fetch(process.env.AZURE_AUTHORITY_HOST + '/' + process.env.AZURE_TENANT_ID + '/v2.0/.well-known/openid-configuration').then(r => console.log(r.status), e => console.log('failed', e.cause?.code))";
    // The server runs in this process, so the children must be awaited, not run synchronously.
    const withEnv = (await run("sh", ["-c", `set -a; . "${envFile}"; set +a; exec "${process.execPath}" -e "${script}"`], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } })).stdout;
    expect(withEnv.trim()).toBe("200");
    const without = (await run(process.execPath, ["-e", script], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", AZURE_AUTHORITY_HOST: started.url, AZURE_TENANT_ID: TENANT_ID } })).stdout;
    expect(without.trim()).toMatch(/^failed (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/);

    const output = lines.join("\n");
    expect(output).toContain(started.url);
    expect(output).toContain(`set -a; . ${envFile}; set +a`);
    expect(output).not.toContain(OPERATOR.clientSecret);

    controller.abort();
    await running;
    expect(JSON.parse(readFileSync(stateFile, "utf8"))).toHaveProperty("users");
    expect(lines.at(-1)).toContain("state saved");
  });
});

async function vi_waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error("sandbox did not start");
}
