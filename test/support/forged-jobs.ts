import type { AppConfig } from '#app/config';
import { Queue, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { waitFor } from './wait.js';

/**
 * Adds a job to one of the suite's queues straight through Redis, as someone who reaches Redis but not the API
 * could, and waits until a worker has failed it; the failed job.
 */
export async function forgedJobFailure(
  config: AppConfig,
  queueName: string,
  job: { name: string; data: object; options: JobsOptions },
): Promise<Job> {
  const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection, prefix: config.QUEUE_PREFIX });
  try {
    const forged = await queue.add(job.name, job.data, job.options);
    // The state first, then the job: read before its failure, a job's fields would stay those of then.
    return await waitFor('the forged job to fail', async () =>
      (await queue.getJobState(forged.id!)) === 'failed' ? await queue.getJob(forged.id!) : undefined,
    );
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
