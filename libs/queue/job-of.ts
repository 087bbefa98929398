import type { JobsOptions } from 'bullmq';
import type { JobPayloads } from './job-payloads.js';
import type { JobName } from './queue-names.js';

/** A job as BullMQ's `add`, `addBulk`, flows and job schedulers take it, its payload typed by its name. */
export interface TypedJob<Name extends JobName, Options = JobsOptions> {
  name: Name;
  data: JobPayloads[Name];
  opts: Options;
}

/** The one way producers build a job: the payload must be the contract's for that job name. */
export function jobOf<Name extends JobName, Options = JobsOptions>(
  name: Name,
  data: JobPayloads[Name],
  opts: Options,
): TypedJob<Name, Options> {
  return { name, data, opts };
}
