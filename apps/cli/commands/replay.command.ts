import { StoreReplaysRepository } from '#app/database';
import { isRequestId, type StoreName } from '#app/domain';
import { StoreReplayService } from '#app/lifecycle';
import { CommandRunner, SubCommand } from 'nest-commander';
import { CommandOptions, siteIdOption } from './command-options.js';
import { printJson, UsageError } from './option-parsers.js';
import { parseSince, parseStore } from './replay-options.js';

interface ReplayOptions {
  store: StoreName;
  since: Date;
  siteId?: string;
}

@SubCommand({
  name: 'replay',
  description:
    're-apply to one store, restored from a backup, every erasure it finished at or after --since (and those still running)',
})
@CommandOptions(
  {
    flags: '--store <store>',
    description: 'the restored store: chat, messaging, consumer or ticketing',
    required: true,
    parse: parseStore,
  },
  {
    flags: '--since <iso-time>',
    description: "the backup's time, ISO-8601 with an offset (2026-11-24T03:00:00Z)",
    required: true,
    parse: (value) => parseSince(value),
  },
  siteIdOption('only this account (default every account)'),
)
export class StoresReplayCommand extends CommandRunner {
  constructor(private readonly replays: StoreReplayService) {
    super();
  }

  async run(_: string[], options: ReplayOptions): Promise<void> {
    const { store, since, siteId } = options;
    const started = await this.replays.start(store, since, siteId ?? null, 'system:cli');
    const summary = {
      replay_id: started.replayId === null ? null : Number(started.replayId),
      store,
      since: since.toISOString(),
      requests: started.requests,
      ids: started.ids,
      chunks: started.chunks,
      reused: started.reused,
    };
    if (started.replayId === null) {
      const scope = siteId ? ` for account ${siteId}` : '';
      printJson({ ...summary, message: `nothing to replay: no erasure in ${store}${scope} since ${summary.since}` });
      return;
    }
    printJson(summary);
  }
}

@SubCommand({ name: 'replay-status', description: "a store replay's progress: chunks done of total, counts so far" })
@CommandOptions({
  flags: '--replay-id <id>',
  description: 'the replay, as `stores replay` printed it',
  required: true,
  parse: (value) => {
    if (!isRequestId(value)) throw new UsageError(`--replay-id must be a replay id (got ${JSON.stringify(value)})`);
    return value;
  },
})
export class StoresReplayStatusCommand extends CommandRunner {
  constructor(private readonly replays: StoreReplaysRepository) {
    super();
  }

  async run(_: string[], options: { replayId: string }): Promise<void> {
    const replay = await this.replays.find(options.replayId);
    if (!replay) throw new UsageError(`--replay-id: replay ${options.replayId} does not exist`);
    printJson({
      replay_id: Number(replay.id),
      store: replay.store,
      since: replay.since.toISOString(),
      site_id: replay.siteId,
      status: replay.status,
      requests: replay.requests,
      ids: replay.ids,
      chunks: { done: replay.chunksDone, total: replay.chunks },
      ids_per_second: replay.idsPerSecond,
      matched: replay.matched,
      erased: replay.erased,
      not_found: replay.notFound,
      verified_rows: replay.verifiedRows,
      started_at: replay.startedAt.toISOString(),
      finished_at: replay.finishedAt?.toISOString() ?? null,
    });
  }
}
