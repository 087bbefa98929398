import { AppConfig } from '#app/config';
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
 * The receipt keys (docs/ARCHITECTURE.md, "Proof"): RECEIPT_SIGNING_KEYS (the first signs, all are published),
 * or else one development key generated once and kept in the database. Production without keys is a config
 * error (`loadConfig`), so the development key never signs there.
 */
@Injectable()
export class ReceiptKeyRing {
  private keys?: Promise<JWK[]>;

  constructor(
    private readonly config: AppConfig,
    private readonly stored: ReceiptKeysRepository,
  ) {}

  async signer(): Promise<SigningKey> {
    const [first] = await this.privateKeys();
    return { kid: first.kid!, key: (await importJWK(first, RECEIPT_ALG)) as CryptoKey };
  }

  /** The JWKS: every key's public part, with its kid. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const keys = await this.privateKeys();
    return {
      keys: keys.map((key) => ({
        ...Object.fromEntries(PUBLIC_MEMBERS.map((member) => [member, key[member]])),
        alg: RECEIPT_ALG,
        use: 'sig',
      })),
    };
  }

  private privateKeys(): Promise<JWK[]> {
    this.keys ??= this.load();
    this.keys.catch(() => (this.keys = undefined));
    return this.keys;
  }

  private async load(): Promise<JWK[]> {
    if (this.config.RECEIPT_SIGNING_KEYS) return JSON.parse(this.config.RECEIPT_SIGNING_KEYS) as JWK[];
    if (this.config.NODE_ENV === 'production') {
      throw new Error('RECEIPT_SIGNING_KEYS: must be set when NODE_ENV=production (the development key is refused)');
    }
    const { privateKey } = await generateKeyPair(RECEIPT_ALG, { extractable: true });
    const jwk = await exportJWK(privateKey);
    const kid = `dev-${(await calculateJwkThumbprint(jwk)).slice(0, 16)}`;
    const kept = await this.stored.keep(DEVELOPMENT_KEY, { kid, privateJwk: { ...jwk, kid } });
    return [{ ...(kept.privateJwk as JWK), kid: kept.kid }];
  }
}
