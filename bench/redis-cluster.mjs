// A throwaway Redis Cluster for the erase benchmark: three masters with one replica each, from the machine's
// redis-server, on loopback (test/support/private-redis-cluster.ts is the tests' fuller twin).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, sleep } from './lib.mjs';

const run = promisify(execFile);
const cli = async (port, ...args) => (await run('redis-cli', ['-p', String(port), ...args])).stdout.trim();

/** Starts the cluster; resolves with its seed nodes (`REDIS_CLUSTER_NODES`) and a stop function. */
export async function startRedisCluster() {
  const nodes = [];
  while (nodes.length < 6) {
    const port = await freePort();
    if (port + 10_000 > 65_535 || nodes.some((node) => node.port === port)) continue;
    const dir = mkdtempSync(join(tmpdir(), 'pdd-bench-cluster-'));
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--cluster-enabled', 'yes'];
    args.push('--cluster-node-timeout', '2000', '--appendonly', 'no', '--save', '');
    nodes.push({ port, dir, child: spawn('redis-server', args, { stdio: 'ignore' }) });
  }
  for (const { port } of nodes) while ((await cli(port, 'PING').catch(() => '')) !== 'PONG') await sleep(100);
  const seeds = nodes.map(({ port }) => `127.0.0.1:${port}`);
  await run('redis-cli', ['--cluster', 'create', ...seeds, '--cluster-replicas', '1', '--cluster-yes']);
  for (const { port } of nodes) {
    for (;;) {
      const info = await cli(port, 'CLUSTER', 'INFO');
      if (info.includes('cluster_state:ok') && info.includes('cluster_known_nodes:6')) break;
      await sleep(200);
    }
  }
  return {
    nodes: seeds.join(','),
    stop: async () => {
      for (const { child, dir } of nodes) {
        child.kill('SIGKILL');
        await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
