import type { AppConfig } from '#app/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ApiModuleOptions } from '../../apps/api/api.module.js';
import { createApiApp } from '../../apps/api/http/create-api-app.js';

/** The real API app, in this process (without the docs UI: see ApiModuleOptions.serveDocs). */
export function createTestApi(config: AppConfig, options: ApiModuleOptions = {}): Promise<NestFastifyApplication> {
  return createApiApp(config, { serveDocs: false, ...options });
}
