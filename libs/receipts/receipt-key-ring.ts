import { AppConfig, isLoopback } from '#app/config';
import { Injectable } from '@nestjs/common';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { ReceiptKeysRepository } from './receipt-keys.repository.js';

export const RECEIPT_ALG = 'ES256';
const DEVELOPMENT_KEY = 'development';
/** The members of an EC JWK that are public: everything else (above all `d`) stays unpublished. */
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'kid'] as const;

export interface SigningKey {
  kid: string;
  key: CryptoKey;
}

/**
 * The receipt keys (docs/ARCHITECTURE.md, "Proof"): RECEIPT_SIGNING_KEYS (the first, private, signs; all are
 * published, the retired ones after it as public JWKs if the operator dropped their private part), or else one
 * development key generated once and kept in the database. Without keys, production or a HOST that is not
 * loopback is a config error (`loadConfig`), so the development key never signs there; `load` checks again.
 */
@Injectable()
export class ReceiptKeyRing {
  private keys?: Promise<JWK[]>;

  constructor(
    private readonly config: AppConfig,
    private readonly stored: ReceiptKeysRepository,
  ) {}

  async signer(): Promise<SigningKey> {
    const [first] = await this.configured();
    return { kid: first.kid!, key: (await importJWK(first, RECEIPT_ALG)) as CryptoKey };
  }

  /** The JWKS: every key's public part, with its kid (a private JWK's `d` is never published). */
  async jwks(): Promise<{ keys: JWK[] }> {
    const keys = await this.configured();
    return {
      keys: keys.map((key) => ({
        ...Object.fromEntries(PUBLIC_MEMBERS.map((member) => [member, key[member]])),
        alg: RECEIPT_ALG,
        use: 'sig',
      })),
    };
  }

  private configured(): Promise<JWK[]> {
    this.keys ??= this.load();
    this.keys.catch(() => (this.keys = undefined));
    return this.keys;
  }

  private async load(): Promise<JWK[]> {
    if (this.config.RECEIPT_SIGNING_KEYS) return JSON.parse(this.config.RECEIPT_SIGNING_KEYS) as JWK[];
    if (this.config.NODE_ENV === 'production' || !isLoopback(this.config.HOST)) {
      throw new Error(
        'RECEIPT_SIGNING_KEYS: must be set when NODE_ENV=production or HOST is not loopback (the development key is refused)',
      );
    }
    const { privateKey } = await generateKeyPair(RECEIPT_ALG, { extractable: true });
    const jwk = await exportJWK(privateKey);
    const kid = `dev-${(await calculateJwkThumbprint(jwk)).slice(0, 16)}`;
    const kept = await this.stored.keep(DEVELOPMENT_KEY, { kid, privateJwk: { ...jwk, kid } });
    return [{ ...(kept.privateJwk as JWK), kid: kept.kid }];
  }
}
