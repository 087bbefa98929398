import { AccountsRepository } from '#app/database';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { CommandOptions, flagOption, siteIdOption, wholeNumberOption } from './command-options.js';
import { printJson } from './option-parsers.js';
import { ParentCommand } from './parent-command.js';

interface AccountOptions {
  siteId: string;
  monthlyQuota?: number;
  cancellationWindow?: number;
  legacyTicketing?: boolean;
}

@SubCommand({ name: 'create', description: 'create or update an account and print it as JSON' })
@CommandOptions(
  siteIdOption('the account (site) id', true),
  wholeNumberOption('--monthly-quota <n>', 'requests allowed per calendar month (UTC)', 1),
  wholeNumberOption('--cancellation-window <seconds>', 'how long a request stays cancellable', 0),
  flagOption('--legacy-ticketing', 'the account may ask for ticketing deletions'),
)
export class AccountsCreateCommand extends CommandRunner {
  constructor(private readonly accounts: AccountsRepository) {
    super();
  }

  async run(_: string[], options: AccountOptions): Promise<void> {
    const account = await this.accounts.upsert({
      siteId: options.siteId,
      monthlyQuota: options.monthlyQuota,
      cancellationWindowSeconds: options.cancellationWindow,
      legacyTicketing: options.legacyTicketing,
    });
    printJson({
      site_id: account.siteId,
      monthly_quota: account.monthlyQuota,
      cancellation_window_seconds: account.cancellationWindowSeconds,
      legacy_ticketing: account.legacyTicketing,
    });
  }
}

@Command({ name: 'accounts', description: 'manage accounts', subCommands: [AccountsCreateCommand] })
export class AccountsCommand extends ParentCommand {}
