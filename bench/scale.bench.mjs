// scale: the time to erase 100 ids from a chat store of 10^4 engagements and of 10^6 (each with its transcript
// lines, survey answers and files). Every lookup is by an indexed id, so the two should cost about the same.
import { STORE_DEFINITIONS } from '#app/stores';
import pg from 'pg';
import { eraseWithPg } from './erase-with-pg.mjs';
import { benchConfig, cli, freshDatabase, median } from './lib.mjs';

async function timeErasures(size, samples, stride) {
  const config = benchConfig(`scale_${size}`);
  await freshDatabase(config);
  const seedStarted = performance.now();
  const { engagement } = JSON.parse(
    cli(config, [
      'stores',
      'seed',
      '--site-id',
      '20762324',
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
  // The same spacing between erased ids in both stores (so neither gets neighbours sharing pages for free), never
  // the same id twice, and a checkpoint first so both pay the same first-touch WAL cost for the pages they dirty.
  const timings = [];
  for (let sample = 0; sample < samples; sample++) {
    const ids = Array.from({ length: 100 }, (_, i) => engagement[(sample * 100 + i) * stride]);
    await client.query('CHECKPOINT');
    const started = performance.now();
    await eraseWithPg(client, STORE_DEFINITIONS.chat, ids);
    timings.push(performance.now() - started);
  }
  const { rows } = await client.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`);
  await client.end();
  return {
    engagements: size,
    seed_seconds: Number(seedSeconds.toFixed(1)),
    database: rows[0].size,
    median_ms: Number(median(timings).toFixed(2)),
  };
}

export async function scaleBenchmark({ small = 10_000, large = 1_000_000, samples = 9 } = {}) {
  const stride = Math.floor(small / (samples * 100));
  const smaller = await timeErasures(small, samples, stride);
  const larger = await timeErasures(large, samples, stride);
  const ratio = larger.median_ms / smaller.median_ms;
  return {
    benchmark: 'scale',
    command: `median of ${samples} erasures of 100 chat engagements (one transaction each; ids ${stride} apart in both stores; CHECKPOINT before each)`,
    small: smaller,
    large: larger,
    ratio: Number(ratio.toFixed(2)),
    targets: { 'large <= 1.3x small': ratio <= 1.3 },
  };
}
