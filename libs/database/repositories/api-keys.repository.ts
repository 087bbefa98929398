import { AppConfig } from '#app/config';
import { isSystemActorName, systemActorRefusal } from '#app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SecretBox } from '../secret-box.js';

/** An API key with its secrets in the clear: only ever in memory, never logged. */
export interface ApiKey {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
  siteId: string;
  name: string;
  permissions: string[];
  revokedAt: Date | null;
}

/** OAuth 1.0a app keys of the platform's "API key" flow; secrets encrypted at rest (AES-256-GCM). */
@Injectable()
export class ApiKeysRepository {
  private readonly box?: SecretBox;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    if (config.API_KEY_ENCRYPTION_KEY) this.box = new SecretBox(config.API_KEY_ENCRYPTION_KEY);
  }

  get configured(): boolean {
    return this.box !== undefined;
  }

  async create(siteId: string, name: string, permissions: string[]): Promise<ApiKey> {
    if (isSystemActorName(name)) throw new Error(systemActorRefusal('an API key name'));
    const box = this.requireBox();
    const key: ApiKey = {
      consumerKey: randomBytes(16).toString('hex'),
      consumerSecret: randomBytes(24).toString('base64url'),
      token: randomBytes(16).toString('hex'),
      tokenSecret: randomBytes(24).toString('base64url'),
      siteId,
      name,
      permissions,
      revokedAt: null,
    };
    await this.dataSource.query(
      `INSERT INTO api_keys (consumer_key, site_id, name, permissions, consumer_secret_encrypted, token, token_secret_encrypted)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [key.consumerKey, siteId, name, permissions, box.seal(key.consumerSecret), key.token, box.seal(key.tokenSecret)],
    );
    return key;
  }

  /** Revokes the key; false when there is no such key. */
  async revoke(consumerKey: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH revoked AS (UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE consumer_key = $1 RETURNING 1)
       SELECT * FROM revoked`,
      [consumerKey],
    );
    return rows.length > 0;
  }

  async findByConsumerKey(consumerKey: string): Promise<ApiKey | null> {
    const box = this.requireBox();
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT consumer_key, consumer_secret_encrypted, token, token_secret_encrypted, site_id, name, permissions, revoked_at
       FROM api_keys WHERE consumer_key = $1`,
      [consumerKey],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      consumerKey: row.consumer_key as string,
      consumerSecret: box.open(row.consumer_secret_encrypted as string),
      token: row.token as string,
      tokenSecret: box.open(row.token_secret_encrypted as string),
      siteId: row.site_id as string,
      name: row.name as string,
      permissions: row.permissions as string[],
      revokedAt: row.revoked_at as Date | null,
    };
  }

  private requireBox(): SecretBox {
    if (!this.box) throw new Error('API_KEY_ENCRYPTION_KEY is not configured');
    return this.box;
  }
}
