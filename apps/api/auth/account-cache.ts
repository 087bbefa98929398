import { AccountEntity, AccountsRepository } from '#app/database';
import { Injectable } from '@nestjs/common';

const TTL_MS = 5000;
const MAX_ENTRIES = 10_000;

/**
 * Registered accounts, remembered for 5 seconds: every request needs its account, and accounts change rarely.
 * A change (a new quota or window) reaches the API within 5 s. Unknown accounts are never remembered.
 */
@Injectable()
export class AccountCache {
  private readonly entries = new Map<string, { account: AccountEntity; until: number }>();

  constructor(private readonly accounts: AccountsRepository) {}

  async find(siteId: string): Promise<AccountEntity | null> {
    const now = Date.now();
    const cached = this.entries.get(siteId);
    if (cached && cached.until > now) return cached.account;
    const account = await this.accounts.findBySiteId(siteId);
    if (!account) return null;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(siteId, { account, until: now + TTL_MS });
    return account;
  }
}
