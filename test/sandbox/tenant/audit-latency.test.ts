import { describe, expect, it } from "vitest";
import { createSandboxClock } from "../../../src/sandbox/tenant/core/clock.js";
import { AuditLatencyModel, MAX_REALISTIC_AUDIT_LATENCY_MS, parseAuditLatency, realisticQuantile } from "../../../src/sandbox/tenant/audit/audit-latency.js";
import { createTenant } from "../../../src/sandbox/tenant/index.js";
import { TestTenant, values } from "./helpers.js";

const MINUTE = 60_000;

describe("sandbox clock", () => {
  it("follows real time by default, from its start, and moves forward on request", () => {
    let wall = Date.parse("2026-06-01T10:00:00Z");
    const clock = createSandboxClock("2026-06-01T08:00:00Z", "real", () => wall);
    expect(clock.now().toISOString()).toBe("2026-06-01T08:00:00.000Z");
    wall += 3 * 3600_000;
    expect(clock.now().toISOString()).toBe("2026-06-01T11:00:00.000Z");
    clock.advance(MINUTE);
    expect(clock.now().toISOString()).toBe("2026-06-01T11:01:00.000Z");
    wall += 1000;
    expect(clock.now().toISOString()).toBe("2026-06-01T11:01:01.000Z");
    expect(() => clock.set(new Date("2026-06-01T09:00:00Z"))).toThrow(/only moves forward/);
    clock.set(new Date("2026-06-02T00:00:00Z"));
    expect(clock.now().toISOString()).toBe("2026-06-02T00:00:00.000Z");
  });

  it("stands still in manual mode until told", () => {
    let wall = 0;
    const clock = createSandboxClock("2026-01-01T00:00:00Z", "manual", () => wall);
    wall += 3600_000;
    expect(clock.now().toISOString()).toBe("2026-01-01T00:00:00.000Z");
    clock.advance(5000);
    expect(clock.now().toISOString()).toBe("2026-01-01T00:00:05.000Z");
  });

  it("a tenant's default clock is real time: writes are stamped when they happen, and a saved real-time state resumes no earlier than now", async () => {
    const tenant = createTenant({ auditLatency: "off" });
    expect(tenant.clock.mode).toBe("real");
    expect(Math.abs(tenant.clock.nowMs() - Date.now())).toBeLessThan(5000);
    const state = tenant.exportState();
    const old = { ...state, clockMs: Date.parse("2020-01-01T00:00:00Z") };
    const loaded = createTenant({ state: old });
    expect(loaded.clock.mode).toBe("real");
    expect(loaded.clock.nowMs()).toBeGreaterThanOrEqual(state.clockMs);
  });
});

describe("audit latency", () => {
  it("parses realistic, off and milliseconds, and refuses anything else", () => {
    expect(parseAuditLatency("realistic")).toBe("realistic");
    expect(parseAuditLatency("OFF")).toBe("off");
    expect(parseAuditLatency("120000")).toBe(120_000);
    expect(() => parseAuditLatency("-1")).toThrow(/audit latency/);
    expect(() => parseAuditLatency("2m")).toThrow(/audit latency/);
  });

  it("the realistic model has Microsoft's documented quantiles (p95 2 min, p99 5 min) and a 15-minute tail, and is seeded", () => {
    expect(realisticQuantile(0.95)).toBe(2 * MINUTE);
    expect(realisticQuantile(0.99)).toBe(5 * MINUTE);
    expect(realisticQuantile(1)).toBe(MAX_REALISTIC_AUDIT_LATENCY_MS);
    const draws = (seed: number) => {
      const model = new AuditLatencyModel("realistic", seed);
      return Array.from({ length: 20_000 }, () => model.nextDelayMs());
    };
    const sample = draws(7).sort((a, b) => a - b);
    const at = (q: number) => sample[Math.floor(q * sample.length)] ?? 0;
    expect(at(0.5)).toBeLessThan(2 * MINUTE);
    expect(Math.abs(at(0.95) - 2 * MINUTE)).toBeLessThan(10_000);
    expect(Math.abs(at(0.99) - 5 * MINUTE)).toBeLessThan(30_000);
    expect(sample.at(-1)).toBeLessThanOrEqual(15 * MINUTE);
    expect(sample.filter((d) => d > 5 * MINUTE).length).toBeGreaterThan(0);
    expect(draws(7).slice(0, 50)).toEqual(draws(7).slice(0, 50));
    expect(draws(7).slice(0, 50)).not.toEqual(draws(8).slice(0, 50));
  });

  it("an entry carries the time of its write but is listed, counted and read by id only once its delay has passed; entries arrive out of order", async () => {
    const t = new TestTenant({ auditLatency: "realistic", auditLatencySeed: 3 });
    await t.createUser("Alice");
    t.tenant.clock.advance(MINUTE);
    await t.createGroup("Ops");
    expect(values(await t.call("/auditLogs/directoryAudits"))).toEqual([]);
    const stored = t.tenant.core.store.list("directoryAudits");
    expect(stored.map((e) => e["activityDateTime"])).toEqual(["2026-01-01T00:00:00.000Z", "2026-01-01T00:01:00.000Z"]);
    const hidden = stored[0];
    expect((await t.call(`/auditLogs/directoryAudits/${String(hidden?.id)}`)).status).toBe(404);

    // Many writes in one minute: the sandbox clock walks forward and entries appear in a different order than written.
    const arrival: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < 40; i += 1) await t.createGroup(`G${i}`);
    const written = t.tenant.core.store.list("directoryAudits").map((e) => e.id);
    for (let step = 0; step < 16 * 60; step += 1) {
      t.tenant.clock.advance(1000);
      const body = (await t.call("/auditLogs/directoryAudits?$top=999")).body;
      for (const entry of values({ status: 200, body }).map((e) => String(e["id"]))) {
        if (!seen.has(entry)) {
          seen.add(entry);
          arrival.push(entry);
        }
      }
      if (t.tenant.auditBacklogMs() === 0) break;
    }
    expect(new Set(arrival)).toEqual(new Set(written));
    expect(arrival).not.toEqual(written);
    expect(t.tenant.auditBacklogMs()).toBe(0);
    const count = await t.call("/auditLogs/directoryAudits/$count");
    expect(Number(count.body)).toBe(written.length);
    expect(Object.keys(values(await t.call("/auditLogs/directoryAudits?$top=1"))[0] ?? {})).not.toContain("_visibleAtMs");
  });

  it("off shows entries at once; a fixed delay and a run-time change apply to new entries", async () => {
    const t = new TestTenant({ auditLatency: "off" });
    await t.createUser("Alice");
    expect(values(await t.call("/auditLogs/directoryAudits"))).toHaveLength(1);
    t.tenant.setAuditLatency(90_000);
    await t.createUser("Bob");
    expect(values(await t.call("/auditLogs/directoryAudits"))).toHaveLength(1);
    expect(t.tenant.auditBacklogMs()).toBe(90_000);
    t.tenant.clock.advance(90_000);
    expect(values(await t.call("/auditLogs/directoryAudits"))).toHaveLength(2);
  });
});
