import { rmSync } from "node:fs";
import { afterAll, beforeAll, vi } from "vitest";
import type { SandboxOptions, SandboxTenant } from "../../src/sandbox/index.js";
import { sandboxEnv } from "./cli.js";
import { exportBaseline, type BaselineOptions, type ExportedBaseline } from "./exported-baseline.js";
import { startSandbox, type StartedSandbox } from "./sandbox.js";

export interface SandboxBlock {
  /** The running sandbox (set before the block's first test). */
  readonly started: StartedSandbox<SandboxTenant>;
  /** The CLI's environment for it. */
  readonly env: Record<string, string>;
  /** Folders to remove after the block. */
  readonly dirs: string[];
  /** A temp repository with the sandbox exported and committed (`exportBaseline`), removed after the block. */
  baseline(options?: Omit<BaselineOptions, "dirs">): Promise<ExportedBaseline>;
}

/**
 * A sandbox for one describe block: started before its tests, stopped after them, `dirs` removed.
 * With `clock: "manual"` the sandbox clock moves only when a test moves it, and `Date` is faked so
 * a test can set the engine's clock to the sandbox's (`vi.setSystemTime(tenant.clock.nowMs())`, as
 * a CI runner's clock and Graph's agree); real timers come back afterwards. `setup` runs once the
 * sandbox is up (seeding an app, …).
 */
export function sandboxBlock(options: SandboxOptions & { setup?: (started: StartedSandbox<SandboxTenant>) => void } = {}): SandboxBlock {
  const { setup, ...sandboxOptions } = options;
  let started: StartedSandbox<SandboxTenant> | undefined;
  let env: Record<string, string> | undefined;
  const dirs: string[] = [];
  beforeAll(async () => {
    started = await startSandbox(sandboxOptions);
    env = sandboxEnv(started.sandbox);
    setup?.(started);
    if (options.clock === "manual") vi.useFakeTimers({ toFake: ["Date"] });
  });
  afterAll(async () => {
    if (options.clock === "manual") vi.useRealTimers();
    await started?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the sandbox is not started yet (use it inside a test or hook)");
    return value;
  };
  return {
    get started() {
      return ready(started);
    },
    get env() {
      return ready(env);
    },
    dirs,
    baseline: (baselineOptions = {}) => exportBaseline(ready(env), { ...baselineOptions, dirs }),
  };
}

/** The demo tenant with Entra's realistic audit latency (entries arrive minutes late), for one describe block. */
export function auditLatencyDemo(options: { clock?: "manual"; setup?: (started: StartedSandbox<SandboxTenant>) => void } = {}): SandboxBlock {
  return sandboxBlock({ seed: "demo", auditLatency: "realistic", ...options });
}
