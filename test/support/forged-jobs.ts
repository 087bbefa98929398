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
    return await waitFor('the forged job to fail', async () => {
      const found = await queue.getJob(forged.id!);
      return (await found?.isFailed()) ? found : undefined;
    });
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
