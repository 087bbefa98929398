import type { AppConfig } from '#app/config';
import type { DeletionType } from '#app/domain';
import { runCli } from './processes.js';

/** The subject ids `stores seed` wrote, by deletion type. */
export type Seeded = Record<`${DeletionType}`, string[]>;

/** Creates (or updates) an account through the CLI; what is left out keeps the CLI's default. */
export async function createAccount(
  config: AppConfig,
  siteId: string,
  options: { windowSeconds?: number; monthlyQuota?: number; legacyTicketing?: boolean } = {},
): Promise<void> {
  const args = ['accounts', 'create', '--site-id', siteId];
  if (options.windowSeconds !== undefined) args.push('--cancellation-window', String(options.windowSeconds));
  if (options.monthlyQuota !== undefined) args.push('--monthly-quota', String(options.monthlyQuota));
  if (options.legacyTicketing) args.push('--legacy-ticketing');
  await runCli(config, args);
}

/** Seeds the stores through the CLI (`stores seed --site-id <site> ...args`); the ids it wrote. */
export async function seedStores(config: AppConfig, siteId: string, args: string[]): Promise<Seeded> {
  return JSON.parse(await runCli(config, ['stores', 'seed', '--site-id', siteId, ...args])) as Seeded;
}
