import 'reflect-metadata';
import { ConfigError, exitAfterShutdownDeadline, loadConfigOrExit } from '#app/config';
import { workerQueues } from '#app/queue';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from './worker.module.js';

const config = loadConfigOrExit();
try {
  workerQueues(config);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config));
app.enableShutdownHooks();
exitAfterShutdownDeadline(config.SHUTDOWN_TIMEOUT_SECONDS + 10);
await app.init();
new Logger('Worker').log(`worker started (queues: ${workerQueues(config).join(', ')})`);
