import { AppConfig, AppConfigModule } from '#app/config';
import { DatabaseModule } from '#app/database';
import { DynamicModule, Module } from '@nestjs/common';
import { AccountsCommand, AccountsCreateCommand } from './commands/accounts.command.js';
import { MigrateCommand } from './commands/migrate.command.js';
import { TokensCommand, TokensMintCommand } from './commands/tokens.command.js';

@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot()],
      providers: [MigrateCommand, AccountsCommand, AccountsCreateCommand, TokensCommand, TokensMintCommand],
    };
  }
}
