import { AccountsRepository } from '#app/database';
import { isRequestId } from '#app/domain';
import { toWebhookView, WebhookEndpointsService } from '#app/webhooks';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { parseSiteId, printJson } from './option-parsers.js';
import { ParentCommand } from './parent-command.js';

@SubCommand({ name: 'create', description: "register an account's webhook endpoint and print its secret once" })
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

  @Option({ flags: '--site-id <id>', description: 'the account', required: true })
  parseSiteId(value: string): string {
    return parseSiteId(value);
  }

  @Option({ flags: '--url <url>', description: 'the endpoint (https in production)', required: true })
  parseUrl(value: string): string {
    return value;
  }

  @Option({ flags: '--events <list>', description: 'comma-separated event types (default: all)' })
  parseEvents(value: string): string[] {
    return value.split(',').map((type) => type.trim());
  }
}

@SubCommand({ name: 'list', description: "an account's webhook endpoints" })
export class WebhooksListCommand extends CommandRunner {
  constructor(private readonly webhooks: WebhookEndpointsService) {
    super();
  }

  async run(_: string[], options: { siteId: string }): Promise<void> {
    printJson((await this.webhooks.list(options.siteId)).map(toWebhookView));
  }

  @Option({ flags: '--site-id <id>', description: 'the account', required: true })
  parseSiteId(value: string): string {
    return parseSiteId(value);
  }
}

@SubCommand({ name: 'delete', description: 'delete a webhook endpoint and its deliveries' })
export class WebhooksDeleteCommand extends CommandRunner {
  constructor(private readonly webhooks: WebhookEndpointsService) {
    super();
  }

  async run(_: string[], options: { siteId: string; id: string }): Promise<void> {
    await this.webhooks.delete(options.siteId, options.id);
    printJson({ id: options.id, deleted: true });
  }

  @Option({ flags: '--site-id <id>', description: 'the account', required: true })
  parseSiteId(value: string): string {
    return parseSiteId(value);
  }

  @Option({ flags: '--id <id>', description: 'the webhook id', required: true })
  parseId(value: string): string {
    if (!isRequestId(value)) throw new Error(`--id must be a positive whole number (got ${JSON.stringify(value)})`);
    return value;
  }
}

@Command({
  name: 'webhooks',
  description: 'status-change webhook endpoints',
  subCommands: [WebhooksCreateCommand, WebhooksListCommand, WebhooksDeleteCommand],
})
export class WebhooksCommand extends ParentCommand {}
