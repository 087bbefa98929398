import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface StoredKey {
  kid: string;
  privateJwk: Record<string, unknown>;
}

/** The development receipt key, kept so every process (and every restart) signs with the same one. */
@Injectable()
export class ReceiptKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Keeps `candidate` unless a key is there already (another process won the race); answers the kept one. */
  async keep(name: string, candidate: StoredKey): Promise<StoredKey> {
    await this.dataSource.query(
      `INSERT INTO receipt_signing_keys (name, kid, private_jwk) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
      [name, candidate.kid, candidate.privateJwk],
    );
    const [row]: StoredKey[] = await this.dataSource.query(
      `SELECT kid, private_jwk AS "privateJwk" FROM receipt_signing_keys WHERE name = $1`,
      [name],
    );
    return row;
  }
}
