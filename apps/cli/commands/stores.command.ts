import { DeletionType, STORE_OF } from '#app/domain';
import { StoresService } from '#app/stores';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { CommandOptions, siteIdOption, wholeNumberOption } from './command-options.js';
import { printJson } from './option-parsers.js';
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
@CommandOptions(
  siteIdOption('the account the data belongs to', true),
  wholeNumberOption('--engagements <n>', 'chat engagements (default 10 of each when no count is given)', 0),
  wholeNumberOption('--conversations <n>', 'messaging conversations', 0),
  wholeNumberOption('--consumers <n>', 'consumer profiles', 0),
  wholeNumberOption('--tickets <n>', 'legacy tickets', 0),
  {
    flags: '--open-ratio <r>',
    description: 'share of chats and conversations left open (0..1, default 0)',
    parse: (value) => {
      const ratio = Number(value);
      if (!(ratio >= 0 && ratio <= 1))
        throw new Error(`--open-ratio must be between 0 and 1 (got ${JSON.stringify(value)})`);
      return ratio;
    },
  },
)
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
}

@Command({
  name: 'stores',
  description: 'the data stores',
  subCommands: [StoresSeedCommand, StoresReplayCommand, StoresReplayStatusCommand],
})
export class StoresCommand extends ParentCommand {}
