import { AppConfig, AppConfigModule } from '#app/config';
import { DatabaseModule } from '#app/database';
import { LifecycleModule, TransitionListenersModule } from '#app/lifecycle';
import { QueueModule } from '#app/queue';
import { StoresModule } from '#app/stores';
import { AuditModule } from '#app/audit';
import { ReceiptsModule } from '#app/receipts';
import { WebhooksModule } from '#app/webhooks';
import { DynamicModule, Module } from '@nestjs/common';
import { AccountsCommand, AccountsCreateCommand } from './commands/accounts.command.js';
import { ApiKeysCommand, ApiKeysCreateCommand, ApiKeysRevokeCommand } from './commands/api-keys.command.js';
import { AuditCommand, AuditVerifyCommand } from './commands/audit.command.js';
import { MigrateCommand } from './commands/migrate.command.js';
import { ReceiptsCommand, ReceiptsVerifyCommand } from './commands/receipts.command.js';
import { RequestsVerifyCommand } from './commands/requests-verify.command.js';
import { RequestsCommand, RequestsRedriveCommand } from './commands/requests.command.js';
import { StoresReplayCommand, StoresReplayStatusCommand } from './commands/replay.command.js';
import { StoresCommand, StoresSeedCommand } from './commands/stores.command.js';
import { TokensCommand, TokensMintCommand } from './commands/tokens.command.js';
import {
  WebhooksCommand,
  WebhooksCreateCommand,
  WebhooksDeleteCommand,
  WebhooksListCommand,
} from './commands/webhooks.command.js';

@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        AppConfigModule.forRoot(config),
        DatabaseModule.forRoot(),
        QueueModule.forRoot('producer'),
        StoresModule,
        TransitionListenersModule,
        LifecycleModule,
        AuditModule,
        ReceiptsModule,
        WebhooksModule,
      ],
      providers: [
        MigrateCommand,
        AccountsCommand,
        AccountsCreateCommand,
        TokensCommand,
        TokensMintCommand,
        StoresCommand,
        StoresSeedCommand,
        StoresReplayCommand,
        StoresReplayStatusCommand,
        RequestsCommand,
        RequestsRedriveCommand,
        RequestsVerifyCommand,
        AuditCommand,
        AuditVerifyCommand,
        ReceiptsCommand,
        ReceiptsVerifyCommand,
        ApiKeysCommand,
        ApiKeysCreateCommand,
        ApiKeysRevokeCommand,
        WebhooksCommand,
        WebhooksCreateCommand,
        WebhooksListCommand,
        WebhooksDeleteCommand,
      ],
    };
  }
}
