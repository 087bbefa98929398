import { loadConfig } from '#app/config';
import { DeletionRequestEntity } from '#app/database';
import type { StartEnqueuer } from '#app/lifecycle';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { JobRelay, MAX_RELAY_BACKLOG } from './job-relay.js';

/** A StartEnqueuer whose rounds end only when the test says so. */
function controlledEnqueuer() {
  const rounds: { ids: string[]; finish: (error?: Error) => void }[] = [];
  const enqueuer = {
    enqueue: (requests: readonly DeletionRequestEntity[]) =>
      new Promise<void>((resolve, reject) =>
        rounds.push({ ids: requests.map((r) => r.id), finish: (error) => (error ? reject(error) : resolve()) }),
      ),
  };
  return { rounds, enqueuer: enqueuer as unknown as StartEnqueuer };
}

function request(id: number): DeletionRequestEntity {
  return Object.assign(new DeletionRequestEntity(), { id: String(id), siteId: 's1', finalAt: new Date() });
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe(JobRelay.name, () => {
  const config = loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(32), ENQUEUE_TIMEOUT_MS: '50' });
  let warnings: string[];
  beforeEach(() => {
    warnings = [];
    const collect = (message: unknown) => void warnings.push(String(message));
    Logger.overrideLogger({ log: () => undefined, error: collect, warn: collect });
  });
  afterEach(() => {
    Logger.overrideLogger(new ConsoleLogger());
  });

  it('relays the creates of one turn in one round, and those recorded meanwhile in the next', async () => {
    const { rounds, enqueuer } = controlledEnqueuer();
    const relay = new JobRelay(enqueuer, config);
    [1, 2, 3].forEach((id) => relay.relay(request(id)));
    await turn();
    relay.relay(request(4));
    relay.relay(request(5));
    await turn();
    expect(rounds.map((round) => round.ids)).toEqual([['1', '2', '3']]);

    let fourSettled = false;
    void relay.settled('4').then(() => (fourSettled = true));
    rounds[0].finish();
    await turn();
    expect(rounds.map((round) => round.ids)).toEqual([
      ['1', '2', '3'],
      ['4', '5'],
    ]);
    expect(fourSettled).toBe(false);
    rounds[1].finish();
    await relay.settled('4');
    await relay.settled('never-relayed');
    expect(warnings).toEqual([]);
  });

  it('leaves a round Redis does not answer in time to the reconciler, and goes on with the next', async () => {
    const { rounds, enqueuer } = controlledEnqueuer();
    const relay = new JobRelay(enqueuer, config);
    relay.relay(request(1));
    relay.relay(request(2));
    await relay.settled('1'); // resolves once ENQUEUE_TIMEOUT_MS (50 ms) passes unanswered
    expect(warnings).toEqual([expect.stringMatching(/^2 requests \(1 to 2\) recorded; .*no answer within 50 ms/)]);

    relay.relay(request(3));
    await turn();
    expect(rounds.map((round) => round.ids)).toEqual([['1', '2'], ['3']]);
    rounds[1].finish(new Error('Connection is closed.'));
    await relay.beforeApplicationShutdown();
    expect(warnings[1]).toMatch(/^request 3 recorded; .*Connection is closed/);
    rounds[0].finish(); // a late answer changes nothing
  });

  it('leaves creates to the reconciler while the backlog is full, says so once, and says when it caught up', async () => {
    const { rounds, enqueuer } = controlledEnqueuer();
    const relay = new JobRelay(enqueuer, loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(32), ENQUEUE_TIMEOUT_MS: '60000' }));
    for (let id = 1; id <= MAX_RELAY_BACKLOG + 10; id++) relay.relay(request(id));
    await turn();
    expect(warnings).toEqual([
      `relay backlog full (${MAX_RELAY_BACKLOG} creates waiting on Redis): leaving new creates to the reconciler, from request ${MAX_RELAY_BACKLOG + 1}`,
    ]);
    for (let i = 0; i < rounds.length; i++) {
      rounds[i].finish();
      await turn();
    }
    expect(rounds.flatMap((round) => round.ids)).toEqual(
      Array.from({ length: MAX_RELAY_BACKLOG }, (_, i) => String(i + 1)),
    );
    relay.relay(request(9999));
    expect(warnings[1]).toBe('relay caught up; 10 creates were left to the reconciler');
    await turn();
    expect(rounds.at(-1)!.ids).toEqual(['9999']);
  });

  it('waits at shutdown for at most twice ENQUEUE_TIMEOUT_MS, then leaves the rest to the reconciler', async () => {
    const { enqueuer } = controlledEnqueuer(); // Redis never answers: each round of 100 ends after 50 ms
    const relay = new JobRelay(enqueuer, config);
    for (let id = 1; id <= 500; id++) relay.relay(request(id));
    await relay.beforeApplicationShutdown();
    expect(warnings.at(-1)).toMatch(
      /^shutting down with [1-4]00 of 500 relays not ended; the reconciler will finish them$/,
    );
  });
});
