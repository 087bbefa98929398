import { loadConfig } from '#app/config';
import {
  JOBS_OF_QUEUE,
  JobName,
  parseReconcilePayload,
  parseStartDeletionPayload,
  QUEUE_NAMES,
  QueueName,
} from '#app/queue';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { PinoLogger } from 'nestjs-pino';
import type { OrchestratorProcessor } from '../deletion/orchestrator.processor.js';
import type { PurgeProcessor } from '../purge/purge.processor.js';
import { JobRegistry, MissingJobHandlerError, workerJobRegistry, type JobOutcome } from './job-registry.js';
import { JobRunner } from './job-runner.js';
import { QueueWorkersService } from './queue-workers.service.js';
import type { WebhookDeliveryProcessor } from '../webhooks/webhook-delivery.processor.js';

/** A job that records where it was moved to delayed. */
function fakeJob(name: string, data: unknown) {
  const delayedTo: [number, string | undefined][] = [];
  const moveToDelayed = (timestamp: number, token?: string) => Promise.resolve(void delayedTo.push([timestamp, token]));
  return { job: { name, data, moveToDelayed } as unknown as Job, delayedTo };
}

/** A registry whose start-deletion job answers `outcome`. */
function startAnswering(outcome: JobOutcome): JobRegistry {
  return new JobRegistry({
    [JobName.StartDeletion]: { parse: parseStartDeletionPayload, handle: () => Promise.resolve(outcome) },
  });
}

describe(JobRegistry.name, () => {
  it('stops the worker at start when a job name of a consumed queue has no handler', () => {
    const registry = new JobRegistry({
      [JobName.StartDeletion]: { parse: parseStartDeletionPayload, handle: () => Promise.resolve({ kind: 'done' }) },
      [JobName.Reconcile]: { parse: parseReconcilePayload, handle: () => Promise.resolve({ kind: 'done' }) },
    });
    const workers = new QueueWorkersService(
      loadConfig({ WORKER_QUEUES: QueueName.Orchestrator }),
      {} as PinoLogger,
      registry,
    );
    expect(() => workers.onApplicationBootstrap()).toThrow(MissingJobHandlerError);
    expect(() => workers.onApplicationBootstrap()).toThrow(
      `no handler for job ${JobName.FinishDeletion} on queue ${QueueName.Orchestrator}`,
    );
  });

  it('asks only for the job names of the queues consumed', () => {
    expect(() => startAnswering({ kind: 'done' }).assertHandles([QueueName.PurgeChat])).toThrow(
      `job ${JobName.PurgeChunk} on queue ${QueueName.PurgeChat}`,
    );
    expect(() => new JobRegistry({}).assertHandles([])).not.toThrow();
  });

  it('knows a queue for every job name', () => {
    expect(new Set(Object.values(JOBS_OF_QUEUE).flat())).toEqual(new Set(Object.values(JobName)));
  });

  it("has the worker's handler for every job name of every queue", () => {
    const registry = workerJobRegistry(
      {} as OrchestratorProcessor,
      {} as PurgeProcessor,
      {} as WebhookDeliveryProcessor,
    );
    expect(() => registry.assertHandles(QUEUE_NAMES)).not.toThrow();
  });
});

describe(JobRunner.name, () => {
  const valid = { requestId: '12', siteId: 's1' };

  it('returns the value of a done outcome', async () => {
    const { job } = fakeJob(JobName.StartDeletion, valid);
    await expect(
      new JobRunner(startAnswering({ kind: 'done', value: 'started' })).run(QueueName.Orchestrator, job),
    ).resolves.toBe('started');
  });

  it('moves the job to delayed, with its lock token, for a delay outcome', async () => {
    const until = new Date('2030-01-02T03:04:05Z');
    const { job, delayedTo } = fakeJob(JobName.StartDeletion, valid);
    await expect(
      new JobRunner(startAnswering({ kind: 'delay', until })).run(QueueName.Orchestrator, job, 'token-1'),
    ).rejects.toBeInstanceOf(DelayedError);
    expect(delayedTo).toEqual([[until.getTime(), 'token-1']]);
  });

  it('fails a fail outcome for good', async () => {
    const { job } = fakeJob(JobName.StartDeletion, valid);
    const run = new JobRunner(startAnswering({ kind: 'fail', message: 'refused' })).run(QueueName.Orchestrator, job);
    await expect(run).rejects.toThrow(new UnrecoverableError('refused'));
  });

  it('fails a payload off the contract for good, without calling the handler', async () => {
    let handled = 0;
    const handle = () => Promise.resolve<JobOutcome>({ kind: 'done', value: handled++ });
    const registry = new JobRegistry({ [JobName.StartDeletion]: { parse: parseStartDeletionPayload, handle } });
    const { job } = fakeJob(JobName.StartDeletion, { requestId: 12 });
    await expect(new JobRunner(registry).run(QueueName.Orchestrator, job)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(handled).toBe(0);
  });

  it.each([
    ['an unknown job name', 'erase-everything', QueueName.Orchestrator],
    ["another queue's job name", JobName.StartDeletion, QueueName.PurgeChat],
  ])('fails %s for good', async (_, name, queue) => {
    const { job } = fakeJob(name, valid);
    await expect(new JobRunner(startAnswering({ kind: 'done' })).run(queue, job)).rejects.toThrow(
      new UnrecoverableError(`unknown job name ${name} on ${queue}`),
    );
  });
});
