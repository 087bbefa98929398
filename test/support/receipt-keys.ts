import { generateKeyPairSync } from 'node:crypto';

/** A fresh EC P-256 key pair as JWKs with `kid`, for RECEIPT_SIGNING_KEYS. */
export function receiptKeyPair(kid: string): { privateJwk: object; publicJwk: object } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid },
  };
}

/** RECEIPT_SIGNING_KEYS of one fresh signing key: for an API off loopback, where the development key is refused. */
export function testReceiptKeys(): string {
  return JSON.stringify([receiptKeyPair('e2e-receipts').privateJwk]);
}
