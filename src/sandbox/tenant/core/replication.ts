import type { Store } from "./store.js";
import type { ControllableClock } from "./clock.js";

/**
 * Replication-delay fault (docs/graph-behaviour.md §6), deterministic: a freshly created object stays invisible
 * to GET-by-id and to references for `reads` attempts and/or `ms` of sandbox-clock time.
 */
export interface ReplicationOptions {
  reads?: number;
  ms?: number;
}

export class Replication {
  constructor(
    private readonly store: Store,
    private readonly clock: ControllableClock,
    public options: ReplicationOptions = {},
  ) {}

  onCreate(id: string): void {
    this.store.markCreated(id, this.clock.nowMs(), this.options.reads ?? 0);
  }

  /** One read attempt: false while the object has not replicated yet (consumes a read). */
  isVisible(id: string): boolean {
    const meta = this.store.metaOf(id);
    if (!meta) return true;
    let visible = true;
    if (this.options.ms !== undefined && this.clock.nowMs() - meta.createdAtMs < this.options.ms) visible = false;
    if (meta.hiddenReads > 0) {
      meta.hiddenReads -= 1;
      visible = false;
    }
    return visible;
  }
}
