import { AppConfig } from '#app/config';
import { isSystemActorName, PERMISSIONS, systemActorRefusal } from '#app/domain';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { mintToken } from '../tokens/mint-token.js';
import { parsePermissionList, parseSiteId, parseWholeNumber, UsageError } from './option-parsers.js';
import { ParentCommand } from './parent-command.js';

interface MintOptions {
  siteId: string;
  user: string;
  permissions: string[];
  ttl: number;
}

@SubCommand({ name: 'mint', description: 'print a JWT signed with AUTH_JWT_SECRET (development and tests)' })
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

  @Option({ flags: '--site-id <id>', description: 'the account the token may act for', required: true })
  parseSiteId(value: string): string {
    return parseSiteId(value);
  }

  @Option({ flags: '--user <name>', description: 'the subject, recorded as requested_by', required: true })
  parseUser(value: string): string {
    if (isSystemActorName(value)) throw new UsageError(systemActorRefusal('--user'));
    return value;
  }

  @Option({ flags: '--permissions <list>', description: 'comma-separated: read, write (default both)' })
  parsePermissions(value: string): string[] {
    return parsePermissionList(value);
  }

  @Option({ flags: '--ttl <seconds>', description: 'lifetime in seconds (default 3600)' })
  parseTtl(value: string): number {
    return parseWholeNumber('ttl', value, 1);
  }
}

@Command({ name: 'tokens', description: 'development tokens', subCommands: [TokensMintCommand] })
export class TokensCommand extends ParentCommand {}
