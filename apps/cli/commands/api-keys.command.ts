import { AccountsRepository, ApiKeysRepository } from '#app/database';
import { isSystemActorName, PERMISSIONS, systemActorRefusal } from '#app/domain';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { CommandOptions, permissionsOption, siteIdOption, textOption } from './command-options.js';
import { printJson, UsageError } from './option-parsers.js';
import { ParentCommand } from './parent-command.js';

interface CreateOptions {
  siteId: string;
  name: string;
  permissions?: string[];
}

@SubCommand({
  name: 'create',
  description: 'create an OAuth 1.0a API key for an account and print its credentials once',
})
@CommandOptions(
  siteIdOption('the account the key acts for', true),
  {
    flags: '--name <name>',
    description: 'the app name, recorded as requested_by',
    required: true,
    parse: (value) => {
      if (!value.trim() || value.length > 255) throw new Error('--name must be 1 to 255 characters');
      if (isSystemActorName(value)) throw new UsageError(systemActorRefusal('--name'));
      return value;
    },
  },
  permissionsOption,
)
export class ApiKeysCreateCommand extends CommandRunner {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly accounts: AccountsRepository,
  ) {
    super();
  }

  async run(_: string[], options: CreateOptions): Promise<void> {
    if (!(await this.accounts.findBySiteId(options.siteId)))
      throw new Error(`account ${options.siteId} does not exist`);
    const key = await this.keys.create(options.siteId, options.name, options.permissions ?? [...PERMISSIONS]);
    printJson({
      consumer_key: key.consumerKey,
      consumer_secret: key.consumerSecret,
      token: key.token,
      token_secret: key.tokenSecret,
    });
  }
}

@SubCommand({ name: 'revoke', description: 'revoke an API key' })
@CommandOptions(textOption('--consumer-key <key>', 'the key to revoke', true))
export class ApiKeysRevokeCommand extends CommandRunner {
  constructor(private readonly keys: ApiKeysRepository) {
    super();
  }

  async run(_: string[], options: { consumerKey: string }): Promise<void> {
    if (!(await this.keys.revoke(options.consumerKey))) throw new Error(`no API key ${options.consumerKey}`);
    printJson({ consumer_key: options.consumerKey, revoked: true });
  }
}

@Command({
  name: 'api-keys',
  description: 'OAuth 1.0a API keys',
  subCommands: [ApiKeysCreateCommand, ApiKeysRevokeCommand],
})
export class ApiKeysCommand extends ParentCommand {}
