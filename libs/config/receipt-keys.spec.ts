import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig, type Environment } from './load-config.js';

function keyPair(kid: string): { privateJwk: Record<string, unknown>; publicJwk: Record<string, unknown> } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid },
  };
}

function problemsOf(env: Environment): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const keys = (...entries: unknown[]) => ({ RECEIPT_SIGNING_KEYS: JSON.stringify(entries) });
const current = keyPair('2025-06');
const retired = keyPair('2024-01');

describe('RECEIPT_SIGNING_KEYS', () => {
  it('accepts retired keys as public JWKs after the private signing key, or still private', () => {
    expect(problemsOf(keys(current.privateJwk, retired.publicJwk))).toEqual([]);
    expect(problemsOf(keys(current.privateJwk, retired.privateJwk, keyPair('2023').publicJwk))).toEqual([]);
  });

  it('refuses a public first entry, naming it: the first signs', () => {
    expect(problemsOf(keys(retired.publicJwk, current.privateJwk))).toEqual([
      'RECEIPT_SIGNING_KEYS: entry 0 (kid "2024-01") signs receipts, so it must be a private JWK (with d); ' +
        'the retired keys after it may be public',
    ]);
  });

  it('names each bad entry, and a kid used twice', () => {
    const { x: _x, ...noX } = retired.publicJwk;
    const { kid: _kid, ...noKid } = retired.publicJwk;
    const rsa = { kty: 'RSA', kid: 'rsa', n: 'n', e: 'AQAB' };
    expect(problemsOf(keys(current.privateJwk, noX, noKid, rsa, 'text', { ...current.publicJwk }))).toEqual([
      'RECEIPT_SIGNING_KEYS: entry 1 (kid "2024-01") is not an EC P-256 JWK (kty "EC", crv "P-256", x, y)',
      'RECEIPT_SIGNING_KEYS: entry 2 has no kid',
      'RECEIPT_SIGNING_KEYS: entry 3 (kid "rsa") is not an EC P-256 JWK (kty "EC", crv "P-256", x, y)',
      'RECEIPT_SIGNING_KEYS: entry 4 is not a JWK (a JSON object)',
      'RECEIPT_SIGNING_KEYS: each kid must be used once ("2025-06" repeat)',
    ]);
    expect(problemsOf({ RECEIPT_SIGNING_KEYS: '[]' })).toEqual([
      'RECEIPT_SIGNING_KEYS: must be a non-empty JSON array of JWKs (the first private: it signs)',
    ]);
    expect(problemsOf({ RECEIPT_SIGNING_KEYS: '{' })).toEqual([
      'RECEIPT_SIGNING_KEYS: must be a JSON array of JWKs (it is not JSON)',
    ]);
  });

  it('never shows key material in its messages', () => {
    const { d } = current.privateJwk as { d: string };
    const message = problemsOf(keys({ ...current.privateJwk, crv: 'P-384' }, { ...retired.privateJwk, d: 5 })).join();
    expect(message).toMatch(/entry 0 .*entry 1 \(kid "2024-01"\) has a d that is not a base64url string/);
    expect(message).not.toContain(d);
    expect(message).not.toContain(current.privateJwk.x as string);
  });
});

describe('the development receipt key (RECEIPT_SIGNING_KEYS unset)', () => {
  it.each(['127.0.0.1', '127.0.0.2', '::1', 'localhost'])(
    'is accepted while the API listens on loopback %s',
    (host) => {
      expect(problemsOf({ HOST: host })).toEqual([]);
    },
  );

  it.each(['0.0.0.0', '::', '10.0.0.5', '::ffff:10.0.0.5'])('is refused when HOST is %s', (host) => {
    expect(problemsOf({ HOST: host, AUTH_JWT_SECRET: 'a-secret-of-this-deployment-only' })).toEqual([
      `RECEIPT_SIGNING_KEYS: the development key is accepted only while the API listens on loopback (HOST is ${host}): ` +
        'set keys of your own',
    ]);
    expect(
      problemsOf({ HOST: host, AUTH_JWT_SECRET: 'a-secret-of-this-deployment-only', ...keys(current.privateJwk) }),
    ).toEqual([]);
  });

  it('is refused in production whatever HOST is', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toContain(
      'RECEIPT_SIGNING_KEYS: must be set when NODE_ENV=production (the development key is refused)',
    );
  });
});
