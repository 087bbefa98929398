import { AsyncResource } from 'node:async_hooks';
import { DeadlineWatch, type Watched } from './deadline-watch.js';

/** How a Batcher groups its callers' items. */
export interface BatcherOptions<In> {
  /** Most items one batch carries. */
  maxBatch: number;
  /** Most batches running at once; callers arriving while all run wait and form the next batch. */
  maxInFlight: number;
  /** Items with the same key never share a batch (the later ones wait for the next). */
  keyOf?: (item: In) => string;
  /**
   * When nothing runs, wait one turn of the event loop before starting a batch, so the items submitted in the
   * same turn share it instead of the first going alone. For work nobody waits on (default: start at once).
   */
  gatherOneTurn?: boolean;
  /** The error a caller gets when its deadline passes first (see `submit`). */
  expired?: () => Error;
}

interface Waiting<In, Out> extends Watched {
  item: In;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for callers that each need one item done: while fewer than `maxInFlight` batches run, an item
 * goes at once (alone, so a quiet service adds no delay); under load the callers that arrive meanwhile share
 * the next batch, so one statement or round trip serves many. `run` answers one result per item, in order;
 * when it throws, every caller of that batch gets the error. A caller given a deadline gets `expired()` once
 * it passes, whether its item still waits (it is then never run) or rides a batch in flight (whose result it
 * no longer waits for).
 */
export class Batcher<In, Out> {
  private readonly waiting: Waiting<In, Out>[] = [];
  private inFlight = 0;
  private gathering = false;
  private readonly deadlines: DeadlineWatch;
  /**
   * `run`, in the async context of the Batcher's creation rather than of whichever caller started the batch: a
   * batch serves many callers, so it must not carry one request's log context (AsyncLocalStorage) as its own.
   */
  private readonly runDetached: (items: In[]) => Promise<Out[]>;

  constructor(
    run: (items: In[]) => Promise<Out[]>,
    private readonly options: BatcherOptions<In>,
  ) {
    this.deadlines = new DeadlineWatch(options.expired ?? (() => new Error('deadline passed')));
    this.runDetached = AsyncResource.bind(run);
  }

  /** `deadline`: a `performance.now()` time past which the caller stops waiting. */
  submit(item: In, deadline = Infinity): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      const waiting: Waiting<In, Out> = { item, resolve, reject, deadline, settled: false };
      this.waiting.push(waiting);
      if (deadline !== Infinity) this.deadlines.add(waiting);
      if (!this.options.gatherOneTurn) this.pump();
      else if (!this.gathering) {
        this.gathering = true;
        setImmediate(() => {
          this.gathering = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const batch = this.take();
      if (batch.length === 0) continue;
      this.inFlight++;
      Promise.resolve()
        .then(() => this.runDetached(batch.map((waiting) => waiting.item)))
        .then((outs) => {
          if (outs.length !== batch.length) throw new Error(`batch of ${batch.length} answered ${outs.length}`);
          batch.forEach((waiting, i) => this.deadlines.settle(waiting) && waiting.resolve(outs[i]));
        })
        .catch((error: unknown) => batch.forEach((waiting) => this.deadlines.settle(waiting) && waiting.reject(error)))
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }

  /** The next batch: the oldest waiting items, up to `maxBatch`, with distinct keys (expired ones dropped). */
  private take(): Waiting<In, Out>[] {
    const { maxBatch, keyOf } = this.options;
    if (!keyOf) return this.waiting.splice(0, maxBatch).filter((waiting) => !waiting.settled);
    const batch: Waiting<In, Out>[] = [];
    const keys = new Set<string>();
    for (let i = 0; i < this.waiting.length && batch.length < maxBatch;) {
      if (this.waiting[i].settled) {
        this.waiting.splice(i, 1);
        continue;
      }
      const key = keyOf(this.waiting[i].item);
      if (keys.has(key)) {
        i++;
        continue;
      }
      keys.add(key);
      batch.push(...this.waiting.splice(i, 1));
    }
    return batch;
  }
}
