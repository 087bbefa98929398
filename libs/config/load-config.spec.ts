import { DEVELOPMENT_API_KEY_ENCRYPTION_KEY, DEVELOPMENT_JWT_SECRET } from './app-config.js';
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
      loadConfig({ ...PRODUCTION_JWT, NODE_ENV: 'production', AUTH_JWKS_URL: 'https://id.example.com/jwks.json' })
        .AUTH_JWKS_URL,
    ).toBe('https://id.example.com/jwks.json');
  });

  it('requires the issuer, the audience and a maximum token age in production', () => {
    const secret = 'a-production-secret-of-32-characters-or-more';
    const problems = problemsOf({ NODE_ENV: 'production', AUTH_JWT_SECRET: secret });
    expect(problems).toEqual(
      expect.arrayContaining([
        'AUTH_JWT_ISSUER: must be set when NODE_ENV=production',
        'AUTH_JWT_AUDIENCE: must be set when NODE_ENV=production',
        'AUTH_JWT_MAX_AGE_SECONDS: must be set when NODE_ENV=production',
      ]),
    );
    expect(loadConfig({ ...PRODUCTION_JWT, NODE_ENV: 'production', AUTH_JWT_SECRET: secret })).toMatchObject({
      AUTH_JWT_MAX_AGE_SECONDS: 3600,
      AUTH_JWT_CLOCK_TOLERANCE_SECONDS: 5,
    });
  });

  it('requires an https JWKS URL in production, not elsewhere', () => {
    const jwks = { ...PRODUCTION_JWT, AUTH_JWKS_URL: 'http://id.example.com/jwks.json' };
    expect(problemsOf({ ...jwks, NODE_ENV: 'production' })).toEqual([
      'AUTH_JWKS_URL: must be an https URL when NODE_ENV=production',
    ]);
    expect(loadConfig(jwks).AUTH_JWKS_URL).toBe('http://id.example.com/jwks.json');
  });

  it('requires oauth_body_hash by default in production only, unless set', () => {
    const production = { ...PRODUCTION_JWT, NODE_ENV: 'production', AUTH_JWKS_URL: 'https://id.example.com/j' };
    expect(loadConfig(production).AUTH_OAUTH_REQUIRE_BODY_HASH).toBe(true);
    expect(loadConfig({ ...production, AUTH_OAUTH_REQUIRE_BODY_HASH: 'false' }).AUTH_OAUTH_REQUIRE_BODY_HASH).toBe(
      false,
    );
    expect(loadConfig({}).AUTH_OAUTH_REQUIRE_BODY_HASH).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).AUTH_OAUTH_REQUIRE_BODY_HASH).toBe(false);
    expect(loadConfig({ AUTH_OAUTH_REQUIRE_BODY_HASH: 'true' }).AUTH_OAUTH_REQUIRE_BODY_HASH).toBe(true);
  });

  it.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', 'localhost'])(
    'accepts the development secrets on loopback %s',
    (host) => {
      expect(loadConfig({ HOST: host, ...DEVELOPMENT_SECRETS }).HOST).toBe(host);
    },
  );

  it.each(['0.0.0.0', '::', '10.0.0.5'])('refuses the development secrets off loopback (HOST=%s)', (host) => {
    expect(problemsOf({ HOST: host, ...DEVELOPMENT_SECRETS })).toEqual([
      expect.stringMatching(/^AUTH_JWT_SECRET: the development secret is accepted only while the API listens on loop/),
      expect.stringMatching(/^API_KEY_ENCRYPTION_KEY: the development key is accepted only while the API listens on/),
      expect.stringMatching(/^RECEIPT_SIGNING_KEYS: the development key is accepted only while the API listens on/),
    ]);
    const own = { AUTH_JWT_SECRET: 'a-secret-of-this-deployment-only', ...PRODUCTION_JWT };
    expect(loadConfig({ HOST: host, ...own }).HOST).toBe(host);
  });

  it('listens on loopback by default and wants an IP address or localhost', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(problemsOf({ HOST: 'example.com' })).toEqual([expect.stringMatching(/^HOST: HOST must be an IP address/)]);
  });

  it('wants PUBLIC_BASE_URL absolute http(s), without credentials, query or fragment', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://pdd.example.com/base' }).PUBLIC_BASE_URL).toBe(
      'https://pdd.example.com/base',
    );
    for (const bad of ['pdd.example.com', 'ftp://pdd.example.com', '/api', 'https://pdd.example.com/?a=1']) {
      expect(problemsOf({ PUBLIC_BASE_URL: bad })).toEqual([expect.stringMatching(/^PUBLIC_BASE_URL: /)]);
    }
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
  });

  it('never lets webhooks reach private networks in production', () => {
    expect(messageOf({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE: 'true' })).toContain('WEBHOOK_ALLOW_PRIVATE');
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'true' })).not.toThrow();
  });

  it('takes as webhook name servers only addresses a resolver accepts', () => {
    for (const bad of ['dns.example', '1.1.1.1,dns.example', '999.1.1.1', 'localhost']) {
      expect(problemsOf({ WEBHOOK_DNS_SERVERS: bad })).toEqual([expect.stringMatching(/^WEBHOOK_DNS_SERVERS: /)]);
    }
    expect(
      loadConfig({ WEBHOOK_DNS_SERVERS: '1.1.1.1,8.8.8.8:53,[2001:4860:4860::8888]:53' }).WEBHOOK_DNS_SERVERS,
    ).toBe('1.1.1.1,8.8.8.8:53,[2001:4860:4860::8888]:53');
  });

  it('never prints the value of a secret setting', () => {
    const secrets = {
      AUTH_JWT_SECRET: 'short-secret',
      API_KEY_ENCRYPTION_KEY: 'not-base64-key-value',
      ADMIN_USER: 'admin',
      ADMIN_PASSWORD: 'tiny-pw',
    };
    const message = messageOf(secrets);
    expect(message).toMatch(/AUTH_JWT_SECRET: .*not shown/);
    expect(message).toMatch(/API_KEY_ENCRYPTION_KEY: .*not shown/);
    expect(message).toMatch(/ADMIN_PASSWORD: .*not shown/);
    for (const value of Object.values(secrets).filter((v) => v !== 'admin')) expect(message).not.toContain(value);
  });

  it('masks the password of a URL it prints', () => {
    const message = messageOf({
      DATABASE_URL: 'mysql://pdd:db-pass-w0rd@db.internal/pdd',
      REDIS_URL: 'http://:redis-s3cret@cache:6379',
      STORE_CHAT_URL: 'postgres://chat:p@ss@w0rd@chat:99999/x',
    });
    expect(message).toContain('"mysql://pdd:***@db.internal/pdd"');
    expect(message).toContain('"http://:***@cache:6379"');
    for (const secret of ['db-pass-w0rd', 'redis-s3cret', 'p@ss', 'ss@w0rd']) expect(message).not.toContain(secret);
  });

  it('never prints a URL setting that is not a URL at all (it may be a password pasted in the wrong place)', () => {
    const message = messageOf({ DATABASE_URL: 'SuperSecretPwNotAUrl' });
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('SuperSecretPwNotAUrl');
  });

  it('says once per setting what was given, not what the transformation made of it', () => {
    const lines = messageOf({ PORT: 'abc' })
      .split('\n')
      .filter((line) => line.includes('PORT:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('(got "abc")');
  });
});

const PRODUCTION_JWT = {
  AUTH_JWT_ISSUER: 'https://id.example.com',
  AUTH_JWT_AUDIENCE: 'personal-data-deletion',
  AUTH_JWT_MAX_AGE_SECONDS: '3600',
  RECEIPT_SIGNING_KEYS: JSON.stringify([{ kty: 'EC', crv: 'P-256', kid: 'k1', x: 'x', y: 'y', d: 'd' }]),
};

const DEVELOPMENT_SECRETS = {
  AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET,
  API_KEY_ENCRYPTION_KEY: DEVELOPMENT_API_KEY_ENCRYPTION_KEY,
};

function messageOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
