import { DEVELOPMENT_JWT_SECRET } from './app-config.js';
import { ConfigError, loadConfig } from './load-config.js';

describe(loadConfig.name, () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      WORKER_PORT: 3001,
      QUEUE_PREFIX: '{pdd}',
      DEFAULT_MONTHLY_QUOTA: 100,
      DEFAULT_CANCELLATION_WINDOW_SECONDS: 432000,
    });
  });

  it('converts numbers from strings', () => {
    expect(loadConfig({ PORT: '8080', DEFAULT_MONTHLY_QUOTA: '7' })).toMatchObject({
      PORT: 8080,
      DEFAULT_MONTHLY_QUOTA: 7,
    });
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', QUEUE_PREFIX: 'nohashtag' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('QUEUE_PREFIX');
    }
  });

  it('never accepts the development secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET })).toThrow(
      /development secret is never accepted/,
    );
  });

  it('wants a long secret or a JWKS URL in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'short-but-16-chars' })).toThrow(/at least 32/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET or AUTH_JWKS_URL/);
    expect(
      loadConfig({ NODE_ENV: 'production', AUTH_JWKS_URL: 'https://id.example.com/jwks.json' }).AUTH_JWKS_URL,
    ).toBe('https://id.example.com/jwks.json');
  });
});
