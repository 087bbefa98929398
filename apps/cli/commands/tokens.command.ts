import { AppConfig } from '#app/config';
import { isSystemActorName, PERMISSIONS, systemActorRefusal } from '#app/domain';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { mintToken } from '../tokens/mint-token.js';
import { CommandOptions, permissionsOption, siteIdOption, wholeNumberOption } from './command-options.js';
import { UsageError } from './option-parsers.js';
import { ParentCommand } from './parent-command.js';

interface MintOptions {
  siteId: string;
  user: string;
  permissions: string[];
  ttl: number;
}

@SubCommand({ name: 'mint', description: 'print a JWT signed with AUTH_JWT_SECRET (development and tests)' })
@CommandOptions(
  siteIdOption('the account the token may act for', true),
  {
    flags: '--user <name>',
    description: 'the subject, recorded as requested_by',
    required: true,
    parse: (value) => {
      if (isSystemActorName(value)) throw new UsageError(systemActorRefusal('--user'));
      return value;
    },
  },
  permissionsOption,
  wholeNumberOption('--ttl <seconds>', 'lifetime in seconds (default 3600)', 1),
)
export class TokensMintCommand extends CommandRunner {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async run(_: string[], options: MintOptions): Promise<void> {
    if (!this.config.AUTH_JWT_SECRET) {
      throw new Error('AUTH_JWT_SECRET is not configured: there is no key to sign a token with');
    }
    const token = await mintToken(this.config.AUTH_JWT_SECRET, {
      subject: options.user,
      siteIds: [options.siteId],
      permissions: options.permissions ?? [...PERMISSIONS],
      ttlSeconds: options.ttl ?? 3600,
      issuer: this.config.AUTH_JWT_ISSUER,
      audience: this.config.AUTH_JWT_AUDIENCE,
    });
    process.stdout.write(`${token}\n`);
  }
}

@Command({ name: 'tokens', description: 'development tokens', subCommands: [TokensMintCommand] })
export class TokensCommand extends ParentCommand {}
