import fc from 'fast-check';
import { randomInt } from 'node:crypto';

/**
 * The moments and durations of the drills' faults, drawn from a seed: `DRILL_SEED` replays a run's timings,
 * and without it each run draws new ones (the seed is in the suite's name), so the drills keep meeting their
 * faults at moments nobody chose.
 */
export class FaultTimings {
  readonly seed: number;

  constructor(seed = process.env.DRILL_SEED) {
    this.seed = seed === undefined || seed === '' ? randomInt(2 ** 31) : Number(seed);
    if (!Number.isSafeInteger(this.seed)) throw new Error(`DRILL_SEED must be an integer (got "${seed}")`);
  }

  /** An integer in [min, max] for the timing `name` (each name its own draw, whichever drills run). */
  between(name: string, min: number, max: number): number {
    let hash = this.seed;
    for (const char of name) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
    const [value] = fc.sample(fc.noBias(fc.integer({ min, max })), { seed: hash, numRuns: 1 });
    return value;
  }
}
