import { nextAttemptAt, retryDelayMs } from './backoff.js';

const HOUR = 3600_000;
const schedule = { baseMs: 5000, maxDelayMs: HOUR, windowMs: 24 * HOUR };

describe(retryDelayMs.name, () => {
  it('doubles from the base delay and stops at the cap', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, schedule))).toEqual([
      5000, 10_000, 20_000, 40_000, 80_000,
    ]);
    expect(retryDelayMs(11, schedule)).toBe(HOUR);
    expect(retryDelayMs(500, schedule)).toBe(HOUR);
  });
});

describe(nextAttemptAt.name, () => {
  const start = new Date('2026-01-01T00:00:00Z');

  it('schedules the next try after the delay of this attempt', () => {
    const now = new Date(start.getTime() + 1000);
    expect(nextAttemptAt(3, start, now, schedule)).toEqual(new Date(now.getTime() + 20_000));
  });

  it('gives up once the next try would fall past the retry window', () => {
    const late = new Date(start.getTime() + 24 * HOUR - 1000);
    expect(nextAttemptAt(20, start, late, schedule)).toBeNull();
    expect(nextAttemptAt(20, start, new Date(start.getTime() + 22 * HOUR), schedule)).not.toBeNull();
  });

  it('over a day with the defaults tries about 35 times, then gives up', () => {
    let now = start;
    let attempts = 0;
    for (;;) {
      attempts++;
      const next = nextAttemptAt(attempts, start, now, schedule);
      if (!next) break;
      now = next;
    }
    expect(attempts).toBeGreaterThan(25);
    expect(attempts).toBeLessThan(40);
    expect(now.getTime() - start.getTime()).toBeLessThanOrEqual(24 * HOUR);
  });
});
