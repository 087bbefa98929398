import { DeletionType, STORE_OF } from '#app/domain';
import { StoresService } from '#app/stores';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { parseSiteId, parseWholeNumber, printJson } from './option-parsers.js';
import { ParentCommand } from './parent-command.js';
import { StoresReplayCommand, StoresReplayStatusCommand } from './replay.command.js';

interface SeedOptions {
  siteId: string;
  engagements?: number;
  conversations?: number;
  consumers?: number;
  tickets?: number;
  openRatio?: number;
}

const DEFAULT_COUNT = 10;

@SubCommand({
  name: 'seed',
  description: 'fill the stores with fake subjects and print their ids by deletion type',
})
export class StoresSeedCommand extends CommandRunner {
  constructor(private readonly stores: StoresService) {
    super();
  }

  async run(_: string[], options: SeedOptions): Promise<void> {
    const given = [options.engagements, options.conversations, options.consumers, options.tickets];
    const fallback = given.every((count) => count === undefined) ? DEFAULT_COUNT : 0;
    const counts: Record<DeletionType, number> = {
      [DeletionType.Engagement]: options.engagements ?? fallback,
      [DeletionType.Conversation]: options.conversations ?? fallback,
      [DeletionType.Consumer]: options.consumers ?? fallback,
      [DeletionType.Ticketing]: options.tickets ?? fallback,
    };
    const ids = {} as Record<DeletionType, string[]>;
    for (const type of Object.values(DeletionType)) {
      ids[type] = await this.stores.seed(STORE_OF[type], options.siteId, counts[type], options.openRatio ?? 0);
    }
    printJson(ids);
  }

  @Option({ flags: '--site-id <id>', description: 'the account the data belongs to', required: true })
  parseSiteId(value: string): string {
    return parseSiteId(value);
  }

  @Option({ flags: '--engagements <n>', description: 'chat engagements (default 10 of each when no count is given)' })
  parseEngagements(value: string): number {
    return parseWholeNumber('engagements', value, 0);
  }

  @Option({ flags: '--conversations <n>', description: 'messaging conversations' })
  parseConversations(value: string): number {
    return parseWholeNumber('conversations', value, 0);
  }

  @Option({ flags: '--consumers <n>', description: 'consumer profiles' })
  parseConsumers(value: string): number {
    return parseWholeNumber('consumers', value, 0);
  }

  @Option({ flags: '--tickets <n>', description: 'legacy tickets' })
  parseTickets(value: string): number {
    return parseWholeNumber('tickets', value, 0);
  }

  @Option({ flags: '--open-ratio <r>', description: 'share of chats and conversations left open (0..1, default 0)' })
  parseOpenRatio(value: string): number {
    const ratio = Number(value);
    if (!(ratio >= 0 && ratio <= 1))
      throw new Error(`--open-ratio must be between 0 and 1 (got ${JSON.stringify(value)})`);
    return ratio;
  }
}

@Command({
  name: 'stores',
  description: 'the data stores',
  subCommands: [StoresSeedCommand, StoresReplayCommand, StoresReplayStatusCommand],
})
export class StoresCommand extends ParentCommand {}
