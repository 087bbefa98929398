import { AppConfig, AppConfigModule } from '#app/config';
import { DatabaseModule } from '#app/database';
import { LifecycleModule, TransitionListenersModule } from '#app/lifecycle';
import { QueueModule } from '#app/queue';
import { StoresModule } from '#app/stores';
import { DynamicModule, Module } from '@nestjs/common';
import { AccountsCommand, AccountsCreateCommand } from './commands/accounts.command.js';
import { ApiKeysCommand, ApiKeysCreateCommand, ApiKeysRevokeCommand } from './commands/api-keys.command.js';
import { MigrateCommand } from './commands/migrate.command.js';
import { RequestsCommand, RequestsRedriveCommand } from './commands/requests.command.js';
import { StoresReplayCommand, StoresReplayStatusCommand } from './commands/replay.command.js';
import { StoresCommand, StoresSeedCommand } from './commands/stores.command.js';
import { TokensCommand, TokensMintCommand } from './commands/tokens.command.js';

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
        ApiKeysCommand,
        ApiKeysCreateCommand,
        ApiKeysRevokeCommand,
      ],
    };
  }
}
