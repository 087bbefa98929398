import type { PurgeOutcome } from './store-purger.js';
import type { StoreVerification } from './store-verifier.js';

export interface Eraser {
  purge(siteId: string, ids: readonly string[]): Promise<PurgeOutcome>;
}

export interface ReadBack {
  verify(siteId: string, ids: readonly string[]): Promise<StoreVerification>;
}

export interface VerifiedErase {
  /** The first erase's outcome: what the chunk reports. */
  outcome: PurgeOutcome;
  /** The last read-back. */
  verification: StoreVerification;
  /** Erasures run (1 when the first read-back was clean). */
  rounds: number;
}

/**
 * Erases a chunk, then reads it back in a new transaction; late data (a row written after the erase) is erased
 * again and read back again, up to `maxRounds` erasures in all (docs/ARCHITECTURE.md, "Proof"). Ids left open
 * are not read back (they were not erased); ids the store does not know have no rows to read.
 */
export async function eraseAndVerify(
  eraser: Eraser,
  readBack: ReadBack,
  siteId: string,
  ids: readonly string[],
  maxRounds: number,
): Promise<VerifiedErase> {
  const outcome = await eraser.purge(siteId, ids);
  const open = new Set(outcome.deferredIds);
  const erased = ids.filter((id) => !open.has(id));
  let verification = await readBack.verify(siteId, erased);
  let rounds = 1;
  while (verification.violations > 0 && rounds < maxRounds) {
    await eraser.purge(siteId, erased);
    verification = await readBack.verify(siteId, erased);
    rounds += 1;
  }
  return { outcome, verification, rounds };
}

/** A failed read-back as a line for the progress row: tables and counts, never a value. */
export function describeViolations(verification: StoreVerification, rounds: number): string {
  const tables = verification.tables
    .filter((table) => table.violations > 0)
    .map((table) => `${table.table}: ${table.violations} of ${table.rowsChecked} rows`)
    .join(', ');
  return `verification failed after ${rounds} erasures: personal data remains in ${tables}`;
}
