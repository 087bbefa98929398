import { AccountsRepository } from '#app/database';
import { isRequestId } from '#app/domain';
import { toWebhookView, WebhookEndpointsService } from '#app/webhooks';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { CommandOptions, siteIdOption, textOption } from './command-options.js';
import { printJson } from './option-parsers.js';
import { ParentCommand } from './parent-command.js';

@SubCommand({ name: 'create', description: "register an account's webhook endpoint and print its secret once" })
@CommandOptions(
  siteIdOption('the account', true),
  textOption('--url <url>', 'the endpoint (https in production)', true),
  {
    flags: '--events <list>',
    description: 'comma-separated event types (default: all)',
    parse: (value) => value.split(',').map((type) => type.trim()),
  },
)
export class WebhooksCreateCommand extends CommandRunner {
  constructor(
    private readonly webhooks: WebhookEndpointsService,
    private readonly accounts: AccountsRepository,
  ) {
    super();
  }

  async run(_: string[], options: { siteId: string; url: string; events?: string[] }): Promise<void> {
    if (!(await this.accounts.findBySiteId(options.siteId)))
      throw new Error(`account ${options.siteId} does not exist`);
    const { endpoint, secret } = await this.webhooks.create(options.siteId, options.url, options.events);
    printJson({ ...toWebhookView(endpoint), secret });
  }
}

@SubCommand({ name: 'list', description: "an account's webhook endpoints" })
@CommandOptions(siteIdOption('the account', true))
export class WebhooksListCommand extends CommandRunner {
  constructor(private readonly webhooks: WebhookEndpointsService) {
    super();
  }

  async run(_: string[], options: { siteId: string }): Promise<void> {
    printJson((await this.webhooks.list(options.siteId)).map(toWebhookView));
  }
}

@SubCommand({ name: 'delete', description: 'delete a webhook endpoint and its deliveries' })
@CommandOptions(siteIdOption('the account', true), {
  flags: '--id <id>',
  description: 'the webhook id',
  required: true,
  parse: (value) => {
    if (!isRequestId(value)) throw new Error(`--id must be a positive whole number (got ${JSON.stringify(value)})`);
    return value;
  },
})
export class WebhooksDeleteCommand extends CommandRunner {
  constructor(private readonly webhooks: WebhookEndpointsService) {
    super();
  }

  async run(_: string[], options: { siteId: string; id: string }): Promise<void> {
    await this.webhooks.delete(options.siteId, options.id);
    printJson({ id: options.id, deleted: true });
  }
}

@Command({
  name: 'webhooks',
  description: 'status-change webhook endpoints',
  subCommands: [WebhooksCreateCommand, WebhooksListCommand, WebhooksDeleteCommand],
})
export class WebhooksCommand extends ParentCommand {}
