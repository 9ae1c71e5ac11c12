import { seededRandom } from "../core/seeded-random.js";

/**
 * How late an audit entry becomes visible in `GET /auditLogs/directoryAudits`. Microsoft documents
 * directory audit latency as 2 minutes at the 95th percentile and 5 minutes at the 99th (the
 * "reporting latencies" page of Microsoft Entra monitoring), and log consumers observe a tail of up
 * to 15 minutes. The `realistic` model draws each entry's delay from a seeded distribution with those
 * quantiles, so a run is reproducible and tests meet late and out-of-order entries.
 */

/** `realistic` (default), `off` (visible at once), or a fixed delay in milliseconds. */
export type AuditLatencySetting = "realistic" | "off" | number;

/** Quantiles of the realistic model: [cumulative probability, delay in ms], interpolated linearly. */
export const REALISTIC_AUDIT_LATENCY: readonly (readonly [number, number])[] = [
  [0, 15_000],
  [0.5, 45_000],
  [0.95, 120_000],
  [0.99, 300_000],
  [1, 900_000],
];

/** The longest delay the realistic model draws (15 minutes). */
export const MAX_REALISTIC_AUDIT_LATENCY_MS = 900_000;

export const DEFAULT_AUDIT_LATENCY_SEED = 20_260_101;

/** The delay at cumulative probability `p` of the realistic model. */
export function realisticQuantile(p: number): number {
  const points = REALISTIC_AUDIT_LATENCY;
  for (let i = 1; i < points.length; i += 1) {
    const [p1, d1] = points[i] as readonly [number, number];
    const [p0, d0] = points[i - 1] as readonly [number, number];
    if (p <= p1) return Math.round(d0 + ((d1 - d0) * (p - p0)) / (p1 - p0));
  }
  return MAX_REALISTIC_AUDIT_LATENCY_MS;
}

/** Parses `realistic`, `off` or a number of milliseconds (the CLI's `--audit-latency`). */
export function parseAuditLatency(value: string): AuditLatencySetting {
  const text = value.trim().toLowerCase();
  if (text === "realistic" || text === "off") return text;
  const ms = Number(text.replace(/ms$/, ""));
  if (text === "" || !Number.isInteger(ms) || ms < 0 || ms > 86_400_000) {
    throw new Error(`audit latency must be "realistic", "off" or a whole number of milliseconds from 0 to 86400000, not "${value}"`);
  }
  return ms;
}

/** Draws each audit entry's visibility delay. */
export class AuditLatencyModel {
  private random: () => number;

  constructor(
    private setting: AuditLatencySetting = "realistic",
    seed: number = DEFAULT_AUDIT_LATENCY_SEED,
  ) {
    this.random = seededRandom(seed);
    this.check(setting);
  }

  get current(): AuditLatencySetting {
    return this.setting;
  }

  /** Change the model at run time (and optionally restart the sequence from a seed). */
  set(setting: AuditLatencySetting, seed?: number): void {
    this.check(setting);
    this.setting = setting;
    if (seed !== undefined) this.random = seededRandom(seed);
  }

  /** The next entry's delay in milliseconds. */
  nextDelayMs(): number {
    if (this.setting === "off") return 0;
    if (typeof this.setting === "number") return this.setting;
    return realisticQuantile(this.random());
  }

  private check(setting: AuditLatencySetting): void {
    if (typeof setting === "number" && (!Number.isFinite(setting) || setting < 0)) throw new Error("audit latency must be a non-negative number of milliseconds");
  }
}
