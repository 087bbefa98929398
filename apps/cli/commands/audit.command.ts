import { AuditVerifier } from '#app/audit';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { parseSiteId, printJson } from './option-parsers.js';

@SubCommand({
  name: 'verify',
  description: 'recompute every request’s audit hash chain; exit 1 naming the first broken link',
})
export class AuditVerifyCommand extends CommandRunner {
  constructor(private readonly verifier: AuditVerifier) {
    super();
  }

  async run(_: string[], options: { siteId?: string }): Promise<void> {
    const result = await this.verifier.verify(options.siteId);
    printJson({
      ...(options.siteId ? { site_id: options.siteId } : {}),
      requests: result.requests,
      events: result.events,
      intact: result.intact,
      ...(result.broken
        ? {
            broken: {
              request_id: Number(result.broken.requestId),
              seq: result.broken.seq,
              problem: result.broken.problem,
            },
          }
        : {}),
    });
    if (!result.intact) process.exitCode = 1;
  }

  @Option({ flags: '--site-id <id>', description: 'only this account’s requests' })
  parseSiteId(value: string): string {
    return parseSiteId(value);
  }
}

@Command({ name: 'audit', description: 'the audit trail', subCommands: [AuditVerifyCommand] })
export class AuditCommand extends CommandRunner {
  run(): Promise<void> {
    this.command.help();
    return Promise.resolve();
  }
}
