import type { SandboxClock } from "../../types.js";

/**
 * How the sandbox clock moves:
 * - `real` (default): it follows the wall clock from `start` (default: now), so a sandbox that has
 *   run for hours stamps its writes hours later, as Graph does; `advance` adds an offset on top.
 * - `manual`: it stays at `start` and only moves when told (tests that assert exact timestamps).
 */
export type ClockMode = "real" | "manual";

/** A clock that follows real time (or stands still in `manual` mode) and can be moved forward. */
export interface ControllableClock extends SandboxClock {
  readonly mode: ClockMode;
  nowMs(): number;
  /** Jump forward to `date` (a date in the past is refused: the clock only moves forward). */
  set(date: Date): void;
}

export function createSandboxClock(start?: Date | string | number, mode: ClockMode = "real", wall: () => number = Date.now): ControllableClock {
  const startMs = start === undefined ? wall() : new Date(start).getTime();
  if (Number.isNaN(startMs)) throw new Error(`invalid sandbox clock start: ${String(start)}`);
  // real: now = wall() + offset; manual: now = offset.
  let offset = mode === "real" ? startMs - wall() : startMs;
  const nowMs = (): number => (mode === "real" ? wall() + offset : offset);
  return {
    mode,
    now: () => new Date(nowMs()),
    nowMs,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error("the sandbox clock only moves forward");
      offset += ms;
    },
    set(date: Date) {
      const target = date.getTime();
      if (Number.isNaN(target)) throw new Error("invalid date for the sandbox clock");
      const delta = target - nowMs();
      if (delta < 0) throw new Error("the sandbox clock only moves forward");
      offset += delta;
    },
  };
}

export const DAY_MS = 24 * 60 * 60 * 1000;
