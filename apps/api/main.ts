import 'reflect-metadata';
import { applyHeapGrowth, exitAfterShutdownDeadline, loadConfigOrExit } from '#app/config';
import { Logger } from '@nestjs/common';
import type { AddressInfo } from 'node:net';

const config = loadConfigOrExit();
applyHeapGrowth(config);
// Loaded after the heap setting: V8 sizes its next collection by the factor in force at the previous one.
const { createApiApp } = await import('./http/create-api-app.js');
const { OpsListener } = await import('./http/ops-listener.js');
const app = await createApiApp(config);
exitAfterShutdownDeadline(config.SHUTDOWN_TIMEOUT_SECONDS + 10);
await app.listen(config.PORT, config.HOST);
const { port } = app.getHttpServer().address() as AddressInfo;
new Logger('Api').log(`listening on ${config.HOST} port ${port}`);
await app.get(OpsListener).listen();
