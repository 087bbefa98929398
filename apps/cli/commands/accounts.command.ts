import { AccountsRepository } from '#app/database';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { parseSiteId, parseWholeNumber, printJson } from './option-parsers.js';
import { ParentCommand } from './parent-command.js';

interface AccountOptions {
  siteId: string;
  monthlyQuota?: number;
  cancellationWindow?: number;
  legacyTicketing?: boolean;
}

@SubCommand({ name: 'create', description: 'create or update an account and print it as JSON' })
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

  @Option({ flags: '--site-id <id>', description: 'the account (site) id', required: true })
  parseSiteId(value: string): string {
    return parseSiteId(value);
  }

  @Option({ flags: '--monthly-quota <n>', description: 'requests allowed per calendar month (UTC)' })
  parseMonthlyQuota(value: string): number {
    return parseWholeNumber('monthly-quota', value, 1);
  }

  @Option({ flags: '--cancellation-window <seconds>', description: 'how long a request stays cancellable' })
  parseCancellationWindow(value: string): number {
    return parseWholeNumber('cancellation-window', value, 0);
  }

  @Option({ flags: '--legacy-ticketing', description: 'the account may ask for ticketing deletions' })
  parseLegacyTicketing(): boolean {
    return true;
  }
}

@Command({ name: 'accounts', description: 'manage accounts', subCommands: [AccountsCreateCommand] })
export class AccountsCommand extends ParentCommand {}
