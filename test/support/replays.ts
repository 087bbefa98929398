import type { AppConfig } from '#app/config';
import { runCli } from './processes.js';
import type { StoreRow } from './store-scan.js';
import { waitFor } from './wait.js';

/** What `stores replay-status` prints. */
export interface ReplayStatus {
  replay_id: number;
  status: string;
  chunks: { done: number; total: number };
  matched: number;
  erased: number;
  not_found: number;
}

/** Runs `stores replay` with `args`; its JSON summary. */
export async function startReplay(config: AppConfig, args: string[]): Promise<Record<string, unknown>> {
  return JSON.parse(await runCli(config, ['stores', 'replay', ...args])) as Record<string, unknown>;
}

export async function replayStatus(config: AppConfig, replayId: unknown): Promise<ReplayStatus> {
  return JSON.parse(await runCli(config, ['stores', 'replay-status', '--replay-id', String(replayId)])) as ReplayStatus;
}

/** Waits until the replay is no longer running; its last status. */
export function waitForReplay(config: AppConfig, replayId: unknown, timeoutMs = 60_000): Promise<ReplayStatus> {
  return waitFor(
    `replay ${String(replayId)} to finish`,
    async () => {
      const status = await replayStatus(config, replayId);
      return status.status === 'running' ? undefined : status;
    },
    timeoutMs,
    500,
  );
}

/** Where the scan finds any of `strings` in one store's tables, as `table: string`. */
export function leftovers(rows: StoreRow[], schema: string, strings: string[]): string[] {
  return rows
    .filter((row) => row.table.startsWith(`${schema}.`))
    .flatMap((row) => strings.filter((s) => row.json.includes(s)).map((s) => `${row.table}: ${s}`));
}
