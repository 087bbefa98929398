import type { PurgeOutcome } from './store-purger.js';
import type { StoreVerification } from './store-verifier.js';
import { describeViolations, eraseAndVerify } from './verified-erase.js';

const clean = (rows: number): StoreVerification => ({
  rowsChecked: rows,
  violations: 0,
  tables: [{ table: 'chat.transcript_lines', rowsChecked: rows, violations: 0 }],
});
const dirty = (rows: number, violations: number): StoreVerification => ({
  rowsChecked: rows,
  violations,
  tables: [{ table: 'chat.transcript_lines', rowsChecked: rows, violations }],
});

/** A purger that erases and a read-back that finds late data `lateRounds` times before it is clean. */
function fakes(lateRounds: number) {
  const purged: string[][] = [];
  const read: string[][] = [];
  const outcome: PurgeOutcome = { matched: 3, erased: 2, notFound: 1, deferredIds: ['open'] };
  const eraser = { purge: async (_site: string, ids: readonly string[]) => (purged.push([...ids]), outcome) };
  const readBack = {
    verify: async (_site: string, ids: readonly string[]) => {
      read.push([...ids]);
      return read.length <= lateRounds ? dirty(5, 1) : clean(5);
    },
  };
  return { eraser, readBack, purged, read, outcome };
}

describe(eraseAndVerify.name, () => {
  it('reads back once after a clean erase, leaving the ids still open out of the read-back', async () => {
    const { eraser, readBack, purged, read, outcome } = fakes(0);
    const result = await eraseAndVerify(eraser, readBack, 's1', ['a', 'open', 'missing'], 3);
    expect(result).toEqual({ outcome, verification: clean(5), rounds: 1 });
    expect(purged).toEqual([['a', 'open', 'missing']]);
    expect(read).toEqual([['a', 'missing']]);
  });

  it('erases late data again and reads back again, until clean', async () => {
    const { eraser, readBack, purged } = fakes(2);
    const result = await eraseAndVerify(eraser, readBack, 's1', ['a', 'b'], 3);
    expect(result.rounds).toBe(3);
    expect(result.verification.violations).toBe(0);
    expect(purged).toHaveLength(3);
  });

  it('stops after the bounded number of erasures and reports the tables and counts, never a value', async () => {
    const { eraser, readBack, purged } = fakes(10);
    const result = await eraseAndVerify(eraser, readBack, 's1', ['a'], 3);
    expect(purged).toHaveLength(3);
    expect(result.verification.violations).toBe(1);
    expect(describeViolations(result.verification, result.rounds)).toBe(
      'verification failed after 3 erasures: personal data remains in chat.transcript_lines: 1 of 5 rows',
    );
  });
});
