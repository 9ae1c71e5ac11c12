import { hostname } from "node:os";

/**
 * True when a lock's holder ran on this host and its process has ended: the local lock file and the
 * remote lease both take such a lock over at once, instead of waiting for it to go stale.
 */
export function holderProcessEnded(holder: { host: string; pid: number }): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
