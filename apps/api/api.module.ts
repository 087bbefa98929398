import { AppConfig, AppConfigModule } from '#app/config';
import { DatabaseModule } from '#app/database';
import { Clock, SystemClock } from '#app/domain';
import { QueueModule } from '#app/queue';
import { TransitionListenersModule } from '#app/lifecycle';
import { ObservabilityModule } from '#app/observability';
import { AuditModule } from '#app/audit';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import { DeletionRequestsModule } from './deletion-requests/deletion-requests.module.js';
import { OpsListener } from './http/ops-listener.js';
import { ProofModule } from './proof/proof.module.js';
import { WebhooksApiModule } from './webhooks/webhooks.module.js';

export interface ApiModuleOptions {
  /** Replaces the system clock (tests stand at a month's edge with it). */
  clock?: Clock;
  /**
   * Serve the OpenAPI UI and JSON (default true). The in-process test apps turn it off: under Jest on Node 20
   * the UI's static-file plugin cannot load its ESM dependencies; the e2e tests check /docs on the built app.
   */
  serveDocs?: boolean;
}

@Global()
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, options: ApiModuleOptions = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot(config, 'api'),
        DatabaseModule.forRoot(),
        QueueModule.forRoot('producer', { flows: false }),
        TransitionListenersModule,
        AuditModule,
        AuthModule,
        DeletionRequestsModule,
        ProofModule,
        WebhooksApiModule,
      ],
      providers: [{ provide: Clock, useValue: options.clock ?? new SystemClock() }, OpsListener],
      exports: [Clock],
    };
  }
}
