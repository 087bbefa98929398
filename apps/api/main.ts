import 'reflect-metadata';
import { applyHeapGrowth, exitAfterShutdownDeadline, loadConfigOrExit } from '#app/config';
import { Logger } from '@nestjs/common';
import { createApiApp } from './http/create-api-app.js';

const config = loadConfigOrExit();
applyHeapGrowth(config);
const app = await createApiApp(config);
exitAfterShutdownDeadline(config.SHUTDOWN_TIMEOUT_SECONDS + 10);
await app.listen(config.PORT, '0.0.0.0');
new Logger('Api').log(`listening on port ${config.PORT}`);
