import fc from 'fast-check';
import { Batcher } from './batcher.js';

/** A run function whose batches finish only when the test says so. */
function controlledRun<In>() {
  const batches: { items: In[]; finish: (error?: Error) => void }[] = [];
  const run = (items: In[]) =>
    new Promise<string[]>((resolve, reject) =>
      batches.push({
        items,
        finish: (error) => (error ? reject(error) : resolve(items.map((item) => `done:${String(item)}`))),
      }),
    );
  return { batches, run };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(Batcher.name, () => {
  it('runs an item at once, alone, when nothing else runs', async () => {
    const { batches, run } = controlledRun<number>();
    const batcher = new Batcher(run, { maxBatch: 10, maxInFlight: 1 });
    const answer = batcher.submit(1);
    await settle();
    expect(batches.map((batch) => batch.items)).toEqual([[1]]);
    batches[0].finish();
    await expect(answer).resolves.toBe('done:1');
  });

  it('with gatherOneTurn, waits for the turn to end and starts one batch for the items submitted in it', async () => {
    const { batches, run } = controlledRun<number>();
    const batcher = new Batcher(run, { maxBatch: 10, maxInFlight: 1, gatherOneTurn: true });
    const answers = [1, 2, 3].map((item) => batcher.submit(item));
    await Promise.resolve();
    expect(batches).toHaveLength(0);
    await settle();
    expect(batches.map((batch) => batch.items)).toEqual([[1, 2, 3]]);
    const late = batcher.submit(4);
    await settle();
    expect(batches).toHaveLength(1); // one in flight: 4 waits for it
    batches[0].finish();
    await settle();
    expect(batches.map((batch) => batch.items)).toEqual([[1, 2, 3], [4]]);
    batches[1].finish();
    await expect(Promise.all([...answers, late])).resolves.toEqual(['done:1', 'done:2', 'done:3', 'done:4']);
  });

  it('groups the items that arrive while every batch runs, up to maxBatch, and answers each its own result', async () => {
    const { batches, run } = controlledRun<number>();
    const batcher = new Batcher(run, { maxBatch: 3, maxInFlight: 1 });
    const answers = [1, 2, 3, 4, 5, 6].map((item) => batcher.submit(item));
    await settle();
    expect(batches.map((batch) => batch.items)).toEqual([[1]]);
    batches[0].finish();
    await settle();
    expect(batches.map((batch) => batch.items)).toEqual([[1], [2, 3, 4]]);
    batches[1].finish();
    await settle();
    batches[2].finish();
    await expect(Promise.all(answers)).resolves.toEqual([1, 2, 3, 4, 5, 6].map((item) => `done:${item}`));
    expect(batches.map((batch) => batch.items)).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('never puts two items with one key in a batch, and keeps their order', async () => {
    const { batches, run } = controlledRun<string>();
    const batcher = new Batcher(run, { maxBatch: 10, maxInFlight: 1, keyOf: (item) => item[0] });
    // Left pending: it only holds the batch in flight.
    void batcher.submit('first');
    const rest = ['a1', 'b1', 'a2', 'c1', 'a3', 'b2'].map((item) => batcher.submit(item));
    await settle();
    batches[0].finish();
    await settle();
    batches[1].finish();
    await settle();
    batches[2].finish();
    await settle();
    batches[3].finish();
    await Promise.all(rest);
    expect(batches.map((batch) => batch.items)).toEqual([['first'], ['a1', 'b1', 'c1'], ['a2', 'b2'], ['a3']]);
  });

  it('runs at most maxInFlight batches at once', async () => {
    const { batches, run } = controlledRun<number>();
    const batcher = new Batcher(run, { maxBatch: 2, maxInFlight: 2 });
    // Left pending: the test watches the batches, not the answers.
    for (const item of [1, 2, 3, 4, 5]) void batcher.submit(item);
    await settle();
    expect(batches.map((batch) => batch.items)).toEqual([[1], [2]]);
    batches[1].finish();
    await settle();
    expect(batches.map((batch) => batch.items)).toEqual([[1], [2], [3, 4]]);
    batches[0].finish();
    await settle();
    expect(batches.map((batch) => batch.items)).toEqual([[1], [2], [3, 4], [5]]);
  });

  it('gives a failed batch error to each of its callers only, and goes on with the next', async () => {
    const { batches, run } = controlledRun<number>();
    const batcher = new Batcher(run, { maxBatch: 5, maxInFlight: 1 });
    const first = batcher.submit(1);
    const second = batcher.submit(2);
    await settle();
    batches[0].finish(new Error('database down'));
    await expect(first).rejects.toThrow('database down');
    await settle();
    batches[1].finish();
    await expect(second).resolves.toBe('done:2');
  });

  it('rejects every caller when run answers the wrong number of results', async () => {
    const batcher = new Batcher((items: number[]) => Promise.resolve(items.slice(1)), { maxBatch: 5, maxInFlight: 1 });
    const answers = [1, 2, 3].map((item) => batcher.submit(item));
    await expect(answers[0]).rejects.toThrow('batch of 1 answered 0');
    await expect(answers[1]).rejects.toThrow('batch of 2 answered 1');
    await expect(answers[2]).rejects.toThrow('batch of 2 answered 1');
  });

  it('answers every item exactly once with its own result, whatever the timing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        async (delays, maxBatch, maxInFlight) => {
          const seen: number[] = [];
          const batcher = new Batcher(
            async (items: number[]) => {
              expect(items.length).toBeLessThanOrEqual(maxBatch);
              seen.push(...items);
              await new Promise((resolve) => setTimeout(resolve, delays[items[0]]));
              return items.map((item) => item * 10);
            },
            { maxBatch, maxInFlight },
          );
          const answers = await Promise.all(delays.map((_, i) => batcher.submit(i)));
          expect(answers).toEqual(delays.map((_, i) => i * 10));
          expect([...seen].sort((a, b) => a - b)).toEqual(delays.map((_, i) => i));
        },
      ),
      { numRuns: 30 },
    );
  });
});
