import { AppConfig } from '#app/config';
import { AccountEntity, QuotaRepository } from '#app/database';
import { Clock, monthStart, nextMonthStart, QuotaExceededError } from '#app/domain';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** An account's quota for the month holding `at`. */
export interface QuotaState {
  limit: number;
  used: number;
  resetsAt: Date;
  /** Seconds from `at` until the reset. */
  resetInSeconds: number;
}

/** The monthly quota (DESIGN §2): an early check, and the authoritative take inside the create transaction. */
@Injectable()
export class QuotaService {
  constructor(
    private readonly usage: QuotaRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  limitOf(account: AccountEntity): number {
    return account.monthlyQuota ?? this.config.DEFAULT_MONTHLY_QUOTA;
  }

  async state(account: AccountEntity, at: Date = this.clock.now()): Promise<QuotaState> {
    return this.stateWith(account, at, await this.usage.used(account.siteId, monthStart(at)));
  }

  /** Rejects early, before any transaction, once the month is used up. */
  async assertAvailable(account: AccountEntity, at: Date): Promise<void> {
    const state = await this.state(account, at);
    if (state.used >= state.limit) throw this.exceeded(state);
  }

  /** Takes one unit in the caller's transaction, or throws QuotaExceededError (rolling the transaction back). */
  async consume(manager: EntityManager, account: AccountEntity, at: Date): Promise<QuotaState> {
    const limit = this.limitOf(account);
    const used = await this.usage.consume(manager, account.siteId, monthStart(at), limit);
    const state = this.stateWith(account, at, used ?? limit);
    if (used === null) throw this.exceeded(state);
    return state;
  }

  private stateWith(account: AccountEntity, at: Date, used: number): QuotaState {
    const resetsAt = nextMonthStart(at);
    return { limit: this.limitOf(account), used, resetsAt, resetInSeconds: Math.ceil((resetsAt.getTime() - at.getTime()) / 1000) };
  }

  private exceeded(state: QuotaState): QuotaExceededError {
    return new QuotaExceededError(state.limit, state.resetsAt, state.resetInSeconds);
  }
}

/** The IETF RateLimit headers for a quota state. */
export function rateLimitHeaders(state: QuotaState): Record<string, string> {
  return {
    'RateLimit-Limit': String(state.limit),
    'RateLimit-Remaining': String(Math.max(0, state.limit - state.used)),
    'RateLimit-Reset': String(state.resetInSeconds),
  };
}
