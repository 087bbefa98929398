import fc from 'fast-check';
import { MAX_QUOTA_SLOTS, slotCaps } from './quota-slots.js';

describe(slotCaps.name, () => {
  it('splits any limit into at most 64 positive caps that add up to exactly the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (limit) => {
        const caps = slotCaps(limit);
        expect(caps.length).toBeLessThanOrEqual(MAX_QUOTA_SLOTS);
        expect(caps.every((cap) => cap >= 1)).toBe(true);
        expect(caps.reduce((sum, cap) => sum + cap, 0)).toBe(limit);
        expect(Math.max(...caps) - Math.min(...caps)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('gives a limit of 1 one slot', () => {
    expect(slotCaps(1)).toEqual([1]);
    expect(slotCaps(100)).toEqual([...Array<number>(36).fill(2), ...Array<number>(28).fill(1)]);
    expect(slotCaps(3)).toEqual([1, 1, 1]);
  });
});
