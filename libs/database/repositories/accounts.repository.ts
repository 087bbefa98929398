import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountEntity } from '../entities/account.entity.js';

export interface AccountSettings {
  siteId: string;
  monthlyQuota?: number | null;
  cancellationWindowSeconds?: number | null;
  legacyTicketing?: boolean;
}

@Injectable()
export class AccountsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findBySiteId(siteId: string): Promise<AccountEntity | null> {
    return this.dataSource.getRepository(AccountEntity).findOneBy({ siteId });
  }

  /** Creates the account, or updates the settings given (those left undefined keep their value). */
  async upsert(settings: AccountSettings): Promise<AccountEntity> {
    await this.dataSource.query(
      `INSERT INTO accounts (site_id, monthly_quota, cancellation_window_seconds, legacy_ticketing)
       VALUES ($1, $2, $3, coalesce($4, false))
       ON CONFLICT (site_id) DO UPDATE SET
         monthly_quota = CASE WHEN $5 THEN EXCLUDED.monthly_quota ELSE accounts.monthly_quota END,
         cancellation_window_seconds =
           CASE WHEN $6 THEN EXCLUDED.cancellation_window_seconds ELSE accounts.cancellation_window_seconds END,
         legacy_ticketing = coalesce($4, accounts.legacy_ticketing),
         updated_at = now()
`,
      [
        settings.siteId,
        settings.monthlyQuota ?? null,
        settings.cancellationWindowSeconds ?? null,
        settings.legacyTicketing ?? null,
        settings.monthlyQuota !== undefined,
        settings.cancellationWindowSeconds !== undefined,
      ],
    );
    return (await this.findBySiteId(settings.siteId))!;
  }
}
