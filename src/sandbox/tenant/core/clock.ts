import type { SandboxClock } from "../../types.js";

/** A clock that starts at `start` (default: wall clock at creation) and only moves when told. */
export interface ControllableClock extends SandboxClock {
  nowMs(): number;
  set(date: Date): void;
}

export function createSandboxClock(start?: Date | string | number): ControllableClock {
  let current = start === undefined ? Date.now() : new Date(start).getTime();
  if (Number.isNaN(current)) throw new Error(`invalid sandbox clock start: ${String(start)}`);
  return {
    now: () => new Date(current),
    nowMs: () => current,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error("the sandbox clock only moves forward");
      current += ms;
    },
    set(date: Date) {
      current = date.getTime();
    },
  };
}

export const DAY_MS = 24 * 60 * 60 * 1000;
