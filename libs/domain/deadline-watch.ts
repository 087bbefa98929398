import { performance } from 'node:perf_hooks';

/** An entry a DeadlineWatch rejects at `deadline` (a `performance.now()` time) unless it settled first. */
export interface Watched {
  readonly deadline: number;
  settled: boolean;
  reject(error: unknown): void;
}

/**
 * Expires many entries with one timer, armed at the earliest open deadline: a batch's callers each keep their
 * own deadline without a timer each. Settled entries are dropped in bulk once they are half the list, so the
 * list stays about as long as what is still open.
 */
export class DeadlineWatch {
  private entries: Watched[] = [];
  private settledCount = 0;
  private timer: NodeJS.Timeout | undefined;
  private due = Infinity;

  /** `expired`: the error an entry whose deadline passed is rejected with. */
  constructor(private readonly expired: () => Error) {}

  add(entry: Watched): void {
    this.entries.push(entry);
    if (entry.deadline < this.due) this.arm(entry.deadline);
  }

  /** Marks `entry` settled; false when it already was (it expired, say). */
  settle(entry: Watched): boolean {
    if (entry.settled) return false;
    entry.settled = true;
    if (entry.deadline !== Infinity && ++this.settledCount > 64 && this.settledCount * 2 > this.entries.length) {
      this.entries = this.entries.filter((open) => !open.settled);
      this.settledCount = 0;
    }
    return true;
  }

  private fire(): void {
    this.timer = undefined;
    this.due = Infinity;
    const now = performance.now();
    const open: Watched[] = [];
    let next = Infinity;
    for (const entry of this.entries) {
      if (entry.settled) continue;
      if (entry.deadline <= now) {
        entry.settled = true;
        entry.reject(this.expired());
        continue;
      }
      open.push(entry);
      next = Math.min(next, entry.deadline);
    }
    this.entries = open;
    this.settledCount = 0;
    if (next !== Infinity) this.arm(next);
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.due = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - performance.now()));
    this.timer.unref();
  }
}
