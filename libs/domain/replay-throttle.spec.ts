import fc from 'fast-check';
import { throttleDelaysMs } from './replay-throttle.js';

describe(throttleDelaysMs.name, () => {
  it('starts the first chunk at once and each next one after the ids before it', () => {
    expect(throttleDelaysMs([100, 100, 100, 40, 100], 500)).toEqual([0, 200, 400, 600, 680]);
  });

  it('spreads 500 ids a second over a second per 500 ids', () => {
    const delays = throttleDelaysMs(
      Array.from({ length: 50 }, () => 100),
      500,
    );
    expect(delays[5]).toBe(1000);
    expect(delays[49]).toBe(9800);
  });

  it('gives nothing for no chunks and refuses a rate that is not positive', () => {
    expect(throttleDelaysMs([], 500)).toEqual([]);
    expect(() => throttleDelaysMs([1], 0)).toThrow(/positive/);
  });

  it('never lets more than rate * window + one chunk of ids start within any window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 10_000 }),
        (sizes, rate, windowMs) => {
          const delays = throttleDelaysMs(sizes, rate);
          expect(delays).toEqual([...delays].sort((a, b) => a - b));
          for (let from = 0; from < delays.length; from++) {
            let ids = 0;
            for (let i = from; i < delays.length && delays[i] - delays[from] < windowMs; i++) ids += sizes[i];
            // one chunk (at most 100 ids) past the rate, and a millisecond of rounding
            expect(ids).toBeLessThanOrEqual((rate * (windowMs + 1)) / 1000 + 100);
          }
        },
      ),
    );
  });
});
