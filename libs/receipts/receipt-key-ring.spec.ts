import type { AppConfig } from '#app/config';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { RECEIPT_ALG, ReceiptKeyRing } from './receipt-key-ring.js';
import type { ReceiptKeysRepository, StoredKey } from './receipt-keys.repository.js';

function jwks(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid },
  };
}

function ring(settings: Partial<AppConfig>, stored: StoredKey[] = []): ReceiptKeyRing {
  const repository = {
    keep: (_: string, candidate: StoredKey) => Promise.resolve(stored[0] ?? (stored.push(candidate), candidate)),
  } as unknown as ReceiptKeysRepository;
  return new ReceiptKeyRing({ NODE_ENV: 'test', HOST: '127.0.0.1', ...settings } as AppConfig, repository);
}

describe(ReceiptKeyRing.name, () => {
  it('signs with the first key and publishes a retired public key beside it, never a d', async () => {
    const current = jwks('current');
    const retired = jwks('retired');
    const keys = ring({ RECEIPT_SIGNING_KEYS: JSON.stringify([current.privateJwk, retired.publicJwk]) });
    const signer = await keys.signer();
    expect(signer.kid).toBe('current');
    const published = await keys.jwks();
    expect(published.keys.map((key) => key.kid)).toEqual(['current', 'retired']);
    expect(published.keys.every((key) => key.d === undefined && key.alg === RECEIPT_ALG)).toBe(true);
    expect(published.keys[1]).toMatchObject({ x: retired.publicJwk.x, y: retired.publicJwk.y });

    // A receipt the retired key signed while it was current still verifies against today's JWKS.
    const old = ring({ RECEIPT_SIGNING_KEYS: JSON.stringify([retired.privateJwk]) });
    const oldSigner = await old.signer();
    const jws = await new SignJWT({ request_id: 1 })
      .setProtectedHeader({ alg: RECEIPT_ALG, kid: oldSigner.kid })
      .sign(oldSigner.key);
    const { protectedHeader } = await jwtVerify(jws, createLocalJWKSet(published));
    expect(protectedHeader.kid).toBe('retired');
  });

  it('keeps one development key, and refuses it off loopback or in production even past loadConfig', async () => {
    const stored: StoredKey[] = [];
    const first = await ring({}, stored).signer();
    expect(first.kid).toMatch(/^dev-/);
    expect((await ring({}, stored).signer()).kid).toBe(first.kid);
    for (const settings of [{ HOST: '0.0.0.0' }, { NODE_ENV: 'production' as const }]) {
      await expect(ring(settings, stored).jwks()).rejects.toThrow(/RECEIPT_SIGNING_KEYS: must be set/);
    }
  });
});
