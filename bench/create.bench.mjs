// create: authenticated valid creates against the built API, against a bare node:http baseline.
import autocannon from 'autocannon';
import {
  benchConfig,
  benchToken,
  environmentOf,
  freePort,
  median,
  peakRssMb,
  prepareBench,
  sleep,
  startNode,
  waitForHttp,
} from './lib.mjs';

const CONNECTIONS = 50;
const ROUNDS = Number(process.env.BENCH_CREATE_ROUNDS ?? 3);

/** The median of each figure over the rounds; peak RSS and errors are the worst round's. */
function medianRow(rows) {
  return {
    name: rows[0].name,
    requests_per_second: median(rows.map((row) => row.requests_per_second)),
    latency_p50_ms: median(rows.map((row) => row.latency_p50_ms)),
    latency_p99_ms: median(rows.map((row) => row.latency_p99_ms)),
    non_2xx: Math.max(...rows.map((row) => row.non_2xx)),
    errors: Math.max(...rows.map((row) => row.errors)),
    peak_rss_mb: Math.max(...rows.map((row) => row.peak_rss_mb)),
  };
}

function load(url, headers, body, duration) {
  return autocannon({ url, method: 'POST', connections: CONNECTIONS, duration, headers, body });
}

async function measure(name, script, args, env, url, headers, body, seconds) {
  const server = startNode(script, args, env);
  try {
    await waitForHttp(url.replace(/\/api\/.*$/, '/health/live').replace(/\/create$/, '/'));
    await load(url, headers, body, 2); // warm-up
    const result = await load(url, headers, body, seconds);
    return {
      name,
      requests_per_second: Math.round(result.requests.average),
      latency_p50_ms: result.latency.p50,
      latency_p99_ms: result.latency.p99,
      non_2xx: result.non2xx,
      errors: result.errors,
      peak_rss_mb: Math.round(peakRssMb(server.child.pid)),
    };
  } finally {
    await server.stop();
  }
}

export async function createBenchmark({ seconds = 10 } = {}) {
  const config = benchConfig('create');
  await prepareBench(config, '20762324', ['--monthly-quota', '1000000000']);
  const token = await benchToken(config, '20762324');
  const body = JSON.stringify({ engagement: ['207623244295067780', '207623244295067781'] });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

  // Rounds alternate baseline and API, each on a fresh process, so drift in this noisy machine's speed hits
  // both alike; the figures are the medians of the rounds, the ratio the median of each round's own ratio.
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const basePort = await freePort();
    const baseline = await measure(
      'baseline (node:http + INSERT + BullMQ add)',
      'bench/baseline-create-server.mjs',
      [String(basePort)],
      environmentOf(config),
      `http://127.0.0.1:${basePort}/create`,
      headers,
      body,
      seconds,
    );
    const apiPort = await freePort();
    const api = await measure(
      'API (POST /api/account/{site_id}/personal-data-deletion)',
      'dist/apps/api/main.js',
      [],
      environmentOf(config, { PORT: String(apiPort) }),
      `http://127.0.0.1:${apiPort}/api/account/20762324/personal-data-deletion`,
      headers,
      body,
      seconds,
    );
    process.stderr.write(
      `[bench] create round ${round + 1}: baseline ${baseline.requests_per_second} req/s, API ${api.requests_per_second} req/s\n`,
    );
    rounds.push({ baseline, api, ratio: api.requests_per_second / baseline.requests_per_second });
  }
  const baseline = medianRow(rounds.map((round) => round.baseline));
  const api = medianRow(rounds.map((round) => round.api));
  const ratio = median(rounds.map((round) => round.ratio));
  await sleep(100);
  return {
    benchmark: 'create',
    command: `autocannon -c ${CONNECTIONS} -d ${seconds} (POST, bearer token, 2 engagement ids), ${ROUNDS} rounds alternating baseline and API`,
    baseline,
    api,
    ratio: Number(ratio.toFixed(2)),
    rounds: rounds.map((round) => ({
      baseline_rps: round.baseline.requests_per_second,
      api_rps: round.api.requests_per_second,
      api_p99_ms: round.api.latency_p99_ms,
      api_peak_rss_mb: round.api.peak_rss_mb,
      ratio: Number(round.ratio.toFixed(2)),
    })),
    targets: {
      'ratio >= 0.9': ratio >= 0.9,
      'p99 <= 40 ms': api.latency_p99_ms <= 40,
      'peak RSS <= 200 MB': api.peak_rss_mb <= 200,
      'no errors': api.non_2xx === 0 && api.errors === 0,
    },
  };
}
