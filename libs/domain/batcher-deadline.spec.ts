import { performance } from 'node:perf_hooks';
import { Batcher } from './batcher.js';

/** A run function whose batches finish only when the test says so. */
function controlledRun() {
  const batches: { items: number[]; finish: () => void }[] = [];
  const run = (items: number[]) =>
    new Promise<string[]>((resolve) =>
      batches.push({ items, finish: () => resolve(items.map((item) => `done:${item}`)) }),
    );
  return { batches, run };
}

const expired = () => new Error('too late');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(`${Batcher.name} deadlines`, () => {
  it('rejects a caller queued behind a hung batch at its own deadline, and never runs its item', async () => {
    const { batches, run } = controlledRun();
    const batcher = new Batcher(run, { maxBatch: 10, maxInFlight: 1, expired });
    const hung = batcher.submit(1);
    const started = performance.now();
    const queued = batcher.submit(2, started + 40);
    await expect(queued).rejects.toThrow('too late');
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(35);
    // Rejected while the batch ahead still hangs (it finishes only below): the deadline, not the batch, ended it.
    batches[0].finish();
    await expect(hung).resolves.toBe('done:1');
    await sleep(5);
    expect(batches.map((batch) => batch.items)).toEqual([[1]]);
  });

  it('rejects a caller riding the batch in flight at its deadline; the others of that batch get their results', async () => {
    const { batches, run } = controlledRun();
    const batcher = new Batcher(run, { maxBatch: 10, maxInFlight: 1, expired });
    const now = performance.now();
    const first = batcher.submit(1, now + 1000);
    const answers = [batcher.submit(2, now + 30), batcher.submit(3, now + 1000), batcher.submit(4)];
    const late = expect(answers[0]).rejects.toThrow('too late');
    await settle();
    batches[0].finish();
    await first;
    await settle();
    expect(batches[1].items).toEqual([2, 3, 4]);
    await late;
    batches[1].finish();
    await expect(answers[1]).resolves.toBe('done:3');
    await expect(answers[2]).resolves.toBe('done:4');
  });

  it('arms one timer for many callers, not one each', async () => {
    const { batches, run } = controlledRun();
    const batcher = new Batcher(run, { maxBatch: 100, maxInFlight: 1, expired });
    const armed: unknown[] = [];
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
      armed.push(args[1]);
      return realSetTimeout(...args);
    }) as typeof setTimeout;
    let answers: Promise<string>[];
    try {
      const now = performance.now();
      answers = Array.from({ length: 200 }, (_, i) => batcher.submit(i, now + 5000 + i));
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    expect(armed).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      await settle();
      batches[i].finish();
    }
    await expect(Promise.all(answers)).resolves.toHaveLength(200);
  });
});
