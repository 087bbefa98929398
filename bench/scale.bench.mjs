// scale: the time to erase 100 ids from a chat store of 10^4 engagements and of 10^6 (each with its transcript
// lines, survey answers and files). Every lookup is by an indexed id, so the two should cost about the same.
import { STORE_DEFINITIONS } from '#app/stores';
import pg from 'pg';
import { eraseWithPg } from './erase-with-pg.mjs';
import { benchConfig, cli, freshDatabase, median } from './lib.mjs';

const SITE = '20762324';

/** A fresh database whose chat store holds `size` engagements, with a client on it. */
async function seededStore(size) {
  const config = benchConfig(`scale_${size}`);
  await freshDatabase(config);
  const seedStarted = performance.now();
  const { engagement } = JSON.parse(
    cli(config, [
      'stores',
      'seed',
      '--site-id',
      SITE,
      '--engagements',
      String(size),
      '--conversations',
      '0',
      '--consumers',
      '0',
      '--tickets',
      '0',
    ]),
  );
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const client = new pg.Client({ connectionString: config.DATABASE_URL });
  await client.connect();
  await client.query('ANALYZE');
  const { rows } = await client.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`);
  return { size, engagement, client, seedSeconds, database: rows[0].size, timings: [] };
}

/**
 * Erases the sample's 100 ids. The same spacing between erased ids in both stores (so neither gets neighbours
 * sharing pages for free), never the same id twice, and a checkpoint first so both pay the same first-touch WAL
 * cost for the pages they dirty.
 */
async function timeSample(store, sample, stride) {
  const ids = Array.from({ length: 100 }, (_, i) => store.engagement[(sample * 100 + i) * stride]);
  await store.client.query('CHECKPOINT');
  const started = performance.now();
  await eraseWithPg(store.client, STORE_DEFINITIONS.chat, SITE, ids);
  store.timings.push(performance.now() - started);
}

export async function scaleBenchmark({ small = 10_000, large = 1_000_000, samples = 15 } = {}) {
  const stride = Math.floor(small / (samples * 100));
  const stores = [await seededStore(small), await seededStore(large)];
  // Samples alternate between the stores, so a drift in this machine's speed reaches both alike.
  for (let sample = 0; sample < samples; sample++) for (const store of stores) await timeSample(store, sample, stride);
  const [smaller, larger] = stores.map((store) => ({
    engagements: store.size,
    seed_seconds: Number(store.seedSeconds.toFixed(1)),
    database: store.database,
    median_ms: Number(median(store.timings).toFixed(2)),
  }));
  await Promise.all(stores.map((store) => store.client.end()));
  const ratio = larger.median_ms / smaller.median_ms;
  return {
    benchmark: 'scale',
    command: `median of ${samples} erasures of 100 chat engagements per store, alternating between the stores (one transaction each; ids ${stride} apart in both stores; CHECKPOINT before each)`,
    small: smaller,
    large: larger,
    ratio: Number(ratio.toFixed(2)),
    targets: { 'large <= 1.3x small': ratio <= 1.3 },
  };
}
