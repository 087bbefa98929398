import { AuditVerifier, type ChainBreak } from '#app/audit';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { CommandOptions, siteIdOption } from './command-options.js';
import { printJson } from './option-parsers.js';
import { ParentCommand } from './parent-command.js';

@SubCommand({
  name: 'verify',
  description:
    'check every request’s audit trail (hash chain, and events its status and receipts need); exit 1 naming each gap',
})
@CommandOptions(siteIdOption('only this account’s requests'))
export class AuditVerifyCommand extends CommandRunner {
  constructor(private readonly verifier: AuditVerifier) {
    super();
  }

  async run(_: string[], options: { siteId?: string }): Promise<void> {
    const result = await this.verifier.verify(options.siteId);
    const view = (problem: ChainBreak) => ({
      request_id: Number(problem.requestId),
      seq: problem.seq,
      problem: problem.problem,
    });
    printJson({
      ...(options.siteId ? { site_id: options.siteId } : {}),
      requests: result.requests,
      events: result.events,
      intact: result.intact,
      ...(result.broken
        ? {
            broken: view(result.broken),
            broken_requests: result.problemCount,
            problems: result.problems.map(view),
          }
        : {}),
    });
    if (!result.intact) process.exitCode = 1;
  }
}

@Command({ name: 'audit', description: 'the audit trail', subCommands: [AuditVerifyCommand] })
export class AuditCommand extends ParentCommand {}
