import { monthStart } from '#app/domain';

/** How long a 429 lets this process answer the account's next creates early, without the database. */
const EXHAUSTED_MEMORY_MS = 10_000;

/**
 * The months this process has seen used up, per account, for a short while: an early 429 without the
 * database. The database stays authoritative (a raised quota applies within EXHAUSTED_MEMORY_MS).
 */
export class ExhaustedMonths {
  private readonly until = new Map<string, number>();

  /** True while `at`'s month of `siteId` was seen used up lately. */
  has(siteId: string, at: Date): boolean {
    if (this.until.size === 0) return false; // the usual case, without building the key
    const key = keyOf(siteId, at);
    const until = this.until.get(key);
    if (until === undefined) return false;
    if (until > at.getTime()) return true;
    this.until.delete(key);
    return false;
  }

  remember(siteId: string, at: Date, resetsAt: Date): void {
    this.until.set(keyOf(siteId, at), Math.min(at.getTime() + EXHAUSTED_MEMORY_MS, resetsAt.getTime()));
  }
}

function keyOf(siteId: string, at: Date): string {
  return `${siteId}:${monthStart(at).toISOString()}`;
}
