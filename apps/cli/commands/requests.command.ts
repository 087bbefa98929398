import { FanOutService, RequestLifecycle } from '#app/lifecycle';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { CommandOptions, requestIdOption } from './command-options.js';
import { printJson } from './option-parsers.js';
import { ParentCommand } from './parent-command.js';
import { RequestsVerifyCommand } from './requests-verify.command.js';

@SubCommand({ name: 'redrive', description: 're-run the failed stores of a FAILED request' })
@CommandOptions(requestIdOption('the request to re-drive'))
export class RequestsRedriveCommand extends CommandRunner {
  constructor(
    private readonly lifecycle: RequestLifecycle,
    private readonly fanOut: FanOutService,
  ) {
    super();
  }

  async run(_: string[], options: { requestId: string }): Promise<void> {
    const { request, stores } = await this.lifecycle.redrive(options.requestId, 'system:cli');
    await this.fanOut.fanOut(request, stores);
    printJson({ request_id: Number(request.id), status: request.status, run: request.run, stores });
  }
}

@Command({
  name: 'requests',
  description: 'deletion requests',
  subCommands: [RequestsRedriveCommand, RequestsVerifyCommand],
})
export class RequestsCommand extends ParentCommand {}
