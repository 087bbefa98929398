import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';

const run = promisify(execFile);
const ARTIFACTS = 'test-artifacts';

interface ClusterNode {
  port: number;
  dir: string;
  process: ChildProcess;
}

/** One line of CLUSTER NODES: who a node is, whether it is a master, which slots it serves. */
interface NodeView {
  id: string;
  port: number;
  master: boolean;
  failed: boolean;
  masterId: string;
  slots: [number, number][];
}

/**
 * A Redis Cluster of the suite's own, from the machine's `redis-server`: three masters with one replica each,
 * on loopback, no persistence, a short node timeout so a failover takes a few seconds. A drill may kill the
 * master holding a slot and wait for its replica to take over.
 */
export class PrivateRedisCluster {
  private readonly nodes: ClusterNode[] = [];

  /** `REDIS_CLUSTER_NODES` for the apps: every node (the client learns the topology from any of them). */
  get seedNodes(): string {
    return this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
  }

  async start(nodeTimeoutMs = 1500): Promise<void> {
    const ports = new Set<number>();
    while (ports.size < 6) {
      const port = await freePort();
      // Each node's cluster bus listens on its port + 10000.
      if (port + 10_000 <= 65_535) ports.add(port);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const port of ports) {
      const dir = mkdtempSync(join(tmpdir(), 'pdd-redis-cluster-'));
      const args = [
        ['--port', String(port)],
        ['--bind', '127.0.0.1'],
        ['--dir', dir],
        ['--cluster-enabled', 'yes'],
        ['--cluster-config-file', 'nodes.conf'],
        ['--cluster-node-timeout', String(nodeTimeoutMs)],
        // A replica takes over however long ago it last heard from its master.
        ['--cluster-replica-validity-factor', '0'],
        ['--appendonly', 'no'],
        ['--save', ''],
        ['--logfile', resolve(ARTIFACTS, `redis-cluster-${port}.log`)],
      ].flat();
      this.nodes.push({ port, dir, process: spawn('redis-server', args, { stdio: 'ignore' }) });
    }
    for (const node of this.nodes)
      await waitFor(`Redis node ${node.port}`, async () =>
        (await this.cli(node.port, 'PING')) === 'PONG' ? true : undefined,
      );
    await run('redis-cli', [
      '--cluster',
      'create',
      ...this.nodes.map((n) => `127.0.0.1:${n.port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    await this.waitHealthy();
  }

  /** Until every live node says the cluster is ok and knows every node. */
  async waitHealthy(timeoutMs = 30_000): Promise<void> {
    const live = this.nodes.filter((node) => node.process.exitCode === null && node.process.signalCode === null);
    await waitFor(
      'the Redis Cluster to be ok on every node',
      async () => {
        for (const node of live) {
          const info = await this.cli(node.port, 'CLUSTER', 'INFO');
          if (!info.includes('cluster_state:ok') || !info.includes(`cluster_known_nodes:${this.nodes.length}`))
            return undefined;
        }
        return true;
      },
      timeoutMs,
      200,
    );
  }

  /** The slot of a key or hash tag (`{pdd}` and `{pdd}:anything` share one). */
  async keySlot(key: string): Promise<number> {
    return Number(await this.cli(this.liveNode().port, 'CLUSTER', 'KEYSLOT', key));
  }

  /** The port of the live master serving `slot`, as a live node sees it. */
  async masterOf(slot: number): Promise<number> {
    const owner = (await this.view()).find(
      (node) => node.master && !node.failed && node.slots.some(([from, to]) => slot >= from && slot <= to),
    );
    if (!owner) throw new Error(`no live master serves slot ${slot}`);
    return owner.port;
  }

  /** How many keys the master serving `key`'s slot holds in that slot. */
  async keysInSlotOf(key: string): Promise<number> {
    const slot = await this.keySlot(key);
    return Number(await this.cli(await this.masterOf(slot), 'CLUSTER', 'COUNTKEYSINSLOT', String(slot)));
  }

  /** SIGKILLs the master serving `key`'s slot; returns its port and its replica's. */
  async killMasterOf(key: string): Promise<{ master: number; replica: number }> {
    const view = await this.view();
    const master = await this.masterOf(await this.keySlot(key));
    const masterId = view.find((node) => node.port === master)!.id;
    const replica = view.find((node) => node.masterId === masterId)?.port;
    if (replica === undefined) throw new Error(`master ${master} has no replica`);
    const node = this.nodes.find((candidate) => candidate.port === master)!;
    node.process.kill('SIGKILL');
    await new Promise((resolve) => node.process.once('exit', resolve));
    return { master, replica };
  }

  /** Until `replica` serves `key`'s slot as a master and the cluster is ok again. */
  async waitForPromotion(key: string, replica: number, timeoutMs = 30_000): Promise<void> {
    const slot = await this.keySlot(key);
    await waitFor(
      `node ${replica} to serve slot ${slot}`,
      async () => ((await this.masterOf(slot).catch(() => undefined)) === replica ? true : undefined),
      timeoutMs,
      200,
    );
    await this.waitHealthy(timeoutMs);
  }

  async stop(): Promise<void> {
    for (const node of this.nodes) {
      if (node.process.exitCode === null && node.process.signalCode === null) {
        node.process.kill('SIGKILL');
        await new Promise((resolve) => node.process.once('exit', resolve));
      }
      rmSync(node.dir, { recursive: true, force: true });
    }
  }

  private async view(): Promise<NodeView[]> {
    const text = await this.cli(this.liveNode().port, 'CLUSTER', 'NODES');
    return text
      .trim()
      .split('\n')
      .map((line) => {
        const [id, address, flags, masterId, , , , , ...slots] = line.split(' ');
        return {
          id: id,
          port: Number(/:(\d+)@/.exec(address)![1]),
          master: flags.split(',').includes('master'),
          failed: /fail/.test(flags),
          masterId: masterId,
          slots: slots
            .filter((slot) => !slot.startsWith('['))
            .map((slot) => slot.split('-').map(Number))
            .map(([from, to]) => [from, to ?? from] as [number, number]),
        };
      });
  }

  private liveNode(): ClusterNode {
    const live = this.nodes.find((node) => node.process.exitCode === null && node.process.signalCode === null);
    if (!live) throw new Error('no Redis Cluster node is running');
    return live;
  }

  private async cli(port: number, ...command: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...command], { timeout: 5000 });
    return stdout.trim();
  }
}
