import { redisOptions } from './redis-connection.js';

describe(redisOptions.name, () => {
  const url = 'redis://127.0.0.1:6390/2';

  it('gives a producer a command timeout and fails fast', () => {
    expect(redisOptions(url, 'producer', { commandTimeoutMs: 2000, keepAliveMs: 10_000 })).toMatchObject({
      port: 6390,
      db: 2,
      commandTimeout: 2000,
      keepAlive: 10_000,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    });
  });

  it("keeps a BullMQ Worker's connection blocking-safe: retries forever, no command timeout unless asked", () => {
    const options = redisOptions(url, 'worker', { keepAliveMs: 10_000 });
    expect(options).toMatchObject({ maxRetriesPerRequest: null, enableOfflineQueue: true, keepAlive: 10_000 });
    expect(options.commandTimeout).toBeUndefined();
  });
});
