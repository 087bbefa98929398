import { loadConfig } from './load-config.js';

describe('bounded wait settings', () => {
  it('default to the values .env.example lists', () => {
    expect(loadConfig({})).toMatchObject({
      CREATE_DEADLINE_MS: 5000,
      DB_STATEMENT_TIMEOUT_MS: 3000,
      DB_QUERY_TIMEOUT_MS: 4000,
      DB_LOCK_TIMEOUT_MS: 2000,
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: 10_000,
      DB_CONNECT_TIMEOUT_MS: 3000,
      TCP_KEEPALIVE_DELAY_MS: 10_000,
      PURGE_STATEMENT_TIMEOUT_MS: 10_000,
      REDIS_COMMAND_TIMEOUT_MS: 2000,
      READINESS_TIMEOUT_MS: 1500,
      WEBHOOK_DNS_TIMEOUT_MS: 2000,
    });
  });

  it.each([
    ['CREATE_DEADLINE_MS', 'soon'],
    ['DB_QUERY_TIMEOUT_MS', '0'],
    ['PURGE_STATEMENT_TIMEOUT_MS', '-5'],
    ['REDIS_COMMAND_TIMEOUT_MS', '1.5'],
    ['READINESS_TIMEOUT_MS', '999999'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}: `));
  });
});
