// erase: ids erased per second end to end (API -> orchestrator -> purge queues -> stores -> DONE), with 1, 2 and
// 4 worker processes on one Redis node and on a Redis Cluster, against the same erase statements run directly
// with pg in a loop.
import { STORE_DEFINITIONS, storeDataSource, StoreVerifier } from '#app/stores';
import { STORE_OF } from '#app/domain';
import pg from 'pg';
import { eraseWithPg } from './erase-with-pg.mjs';
import { startRedisCluster } from './redis-cluster.mjs';
import {
  benchConfig,
  benchToken,
  cli,
  environmentOf,
  freePort,
  prepareBench,
  sleep,
  startNode,
  waitForHttp,
} from './lib.mjs';

const SITE = '20762324';
const TYPES = ['engagement', 'conversation', 'consumer', 'ticketing'];
const FLAGS = {
  engagement: '--engagements',
  conversation: '--conversations',
  consumer: '--consumers',
  ticketing: '--tickets',
};

async function prepare(config, perType) {
  await prepareBench(config, SITE, [
    '--cancellation-window',
    '0',
    '--monthly-quota',
    '1000000000',
    '--legacy-ticketing',
  ]);
  const args = ['stores', 'seed', '--site-id', SITE, ...TYPES.flatMap((type) => [FLAGS[type], String(perType)])];
  return JSON.parse(cli(config, args));
}

function chunks(ids, size) {
  const out = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

async function endToEnd(config, seeded, workers) {
  const port = await freePort();
  const api = startNode('dist/apps/api/main.js', [], environmentOf(config, { PORT: String(port) }));
  const workerPorts = await Promise.all(workers.map(() => freePort()));
  const pool = workerPorts.map((workerPort) =>
    startNode('dist/apps/worker/main.js', [], environmentOf(config, { WORKER_PORT: String(workerPort) })),
  );
  const db = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });
  try {
    // Every process ready before the clock starts: four workers take a while to boot on two cores.
    for (const ready of [port, ...workerPorts]) await waitForHttp(`http://127.0.0.1:${ready}/health/ready`, 60_000);
    await sleep(1000);
    const token = await benchToken(config, SITE);
    const bodies = TYPES.flatMap((type) => chunks(seeded[type], 100).map((ids) => JSON.stringify({ [type]: ids })));
    const started = performance.now();
    for (const batch of chunks(bodies, 8)) {
      await Promise.all(
        batch.map(async (body) => {
          const response = await fetch(`http://127.0.0.1:${port}/api/account/${SITE}/personal-data-deletion`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body,
          });
          if (response.status !== 201) throw new Error(`create answered ${response.status}`);
        }),
      );
    }
    for (;;) {
      const { rows } = await db.query(
        `SELECT count(*) FILTER (WHERE status = 'DONE')::int AS done, count(*)::int AS total FROM deletion_requests`,
      );
      if (rows[0].done === bodies.length) break;
      if (performance.now() - started > 600_000) throw new Error('erase did not finish in 10 minutes');
      await sleep(50);
    }
    const seconds = (performance.now() - started) / 1000;
    const ids = TYPES.reduce((sum, type) => sum + seeded[type].length, 0);
    return {
      redis: config.REDIS_CLUSTER_NODES ? 'cluster (3 masters, 3 replicas)' : 'one node',
      workers: workers.length,
      ids,
      seconds: Number(seconds.toFixed(2)),
      ids_per_second: Math.round(ids / seconds),
    };
  } finally {
    await db.end();
    await Promise.all([api.stop(), ...pool.map((worker) => worker.stop())]);
  }
}

/** The erase statements run directly with pg; with `verify`, each chunk then read back as the worker does. */
async function directBaseline(config, seeded, chunkSize, verify = false) {
  const client = new pg.Client({ connectionString: config.DATABASE_URL });
  await client.connect();
  const verifiers = {};
  if (verify) {
    for (const type of TYPES) {
      const definition = STORE_DEFINITIONS[STORE_OF[type]];
      const dataSource = await storeDataSource(definition, config.DATABASE_URL).initialize();
      verifiers[type] = new StoreVerifier(definition, dataSource);
    }
  }
  const started = performance.now();
  let ids = 0;
  for (const type of TYPES) {
    for (const chunk of chunks(seeded[type], chunkSize)) {
      ids += await eraseWithPg(client, STORE_DEFINITIONS[STORE_OF[type]], SITE, chunk);
      if (verify) await verifiers[type].verify(SITE, chunk);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  await Promise.all(Object.values(verifiers).map((verifier) => verifier.dataSource.destroy()));
  return { ids, seconds: Number(seconds.toFixed(2)), ids_per_second: Math.round(ids / seconds) };
}

const WORKER_COUNTS = [1, 2, 4];

export async function eraseBenchmark({ perType = 10_000 } = {}) {
  const config = benchConfig('erase');
  const baseline = await directBaseline(config, await prepare(config, perType), config.PURGE_CHUNK_SIZE);
  const verified = await directBaseline(config, await prepare(config, perType), config.PURGE_CHUNK_SIZE, true);
  const runs = [];
  for (const count of WORKER_COUNTS) {
    const workers = Array.from({ length: count }, (_, i) => i + 1);
    runs.push(await endToEnd(config, await prepare(config, perType), workers));
  }
  const cluster = await startRedisCluster();
  try {
    const onCluster = benchConfig('erase', { REDIS_CLUSTER_NODES: cluster.nodes });
    for (const count of WORKER_COUNTS) {
      const workers = Array.from({ length: count }, (_, i) => i + 1);
      runs.push(await endToEnd(onCluster, await prepare(onCluster, perType), workers));
    }
  } finally {
    await cluster.stop();
  }
  for (const run of runs) run.ratio = Number((run.ids_per_second / baseline.ids_per_second).toFixed(2));
  const one = runs[0];
  return {
    benchmark: 'erase',
    command: `${perType} subjects of each type, requests of 100 ids, zero cancellation window, PURGE_CHUNK_SIZE=${config.PURGE_CHUNK_SIZE}, default concurrency, every worker process on every queue`,
    baseline: { name: 'the erase statements run directly with pg, one transaction per chunk', ...baseline },
    verified_baseline: { name: 'the same, each chunk then read back (verification) as the worker does', ...verified },
    verification_cost: Number((verified.ids_per_second / baseline.ids_per_second).toFixed(2)),
    runs,
    targets: { 'one worker >= 0.5x baseline': one.ids_per_second >= 0.5 * baseline.ids_per_second },
  };
}
