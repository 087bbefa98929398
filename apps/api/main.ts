import 'reflect-metadata';
import { applyHeapGrowth, exitAfterShutdownDeadline, loadConfigOrExit } from '#app/config';
import { Logger } from '@nestjs/common';

const config = loadConfigOrExit();
applyHeapGrowth(config);
// Loaded after the heap setting: V8 sizes its next collection by the factor in force at the previous one.
const { createApiApp } = await import('./http/create-api-app.js');
const app = await createApiApp(config);
exitAfterShutdownDeadline(config.SHUTDOWN_TIMEOUT_SECONDS + 10);
await app.listen(config.PORT, '0.0.0.0');
new Logger('Api').log(`listening on port ${config.PORT}`);
