import 'reflect-metadata';
import { applyHeapGrowth, ConfigError, exitAfterShutdownDeadline, loadConfigOrExit } from '#app/config';
import { workerQueues } from '#app/queue';
import { Logger } from '@nestjs/common';
import type { AddressInfo } from 'node:net';

const config = loadConfigOrExit();
applyHeapGrowth(config);
try {
  workerQueues(config);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
// Loaded after the heap setting: V8 sizes its next collection by the factor in force at the previous one.
const { createWorkerApp } = await import('./create-worker-app.js');
const app = await createWorkerApp(config);
exitAfterShutdownDeadline(config.SHUTDOWN_TIMEOUT_SECONDS + 10);
// No public API here: health and metrics are for the platform, on the operations address.
await app.listen(config.WORKER_PORT, config.OPS_HOST);
const { port } = app.getHttpServer().address() as AddressInfo;
new Logger('Worker').log(
  `worker started (queues: ${workerQueues(config).join(', ')}; health and metrics on ${config.OPS_HOST} port ${port})`,
);
