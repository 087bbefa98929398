import { AppConfig } from '#app/config';
import { AccountEntity, QuotaRepository } from '#app/database';
import {
  Clock,
  MAX_QUOTA_SLOTS,
  monthStart,
  nextMonthStart,
  QuotaExceededError,
  slotCaps,
  type QuotaTake,
} from '#app/domain';
import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { ExhaustedMonths } from './exhausted-months.js';

/** An account's quota for the month holding `at`. */
export interface QuotaState {
  limit: number;
  used: number;
  resetsAt: Date;
  /** Seconds from `at` until the reset. */
  resetInSeconds: number;
}

/**
 * The monthly quota (docs/ARCHITECTURE.md, "Quota"). The month's count is kept in up to 64 slots whose caps add up to the limit
 * (`slotCaps`); a create takes one unit of one slot in the same statement that records it, so concurrent
 * creates of one account rarely wait on each other's row lock, and together never take more than the limit.
 * This service is the policy: which slots to try, in which order, and when the month is used up.
 */
@Injectable()
export class QuotaService {
  private readonly exhausted = new ExhaustedMonths();
  /** Slots are handed out in turn (from a random start per process), so creates arriving together differ. */
  private nextSlot = randomInt(MAX_QUOTA_SLOTS);
  private readonly caps = new Map<number, readonly number[]>();

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

  stateWith(account: AccountEntity, at: Date, used: number): QuotaState {
    const resetsAt = nextMonthStart(at);
    return {
      limit: this.limitOf(account),
      used,
      resetsAt,
      resetInSeconds: Math.ceil((resetsAt.getTime() - at.getTime()) / 1000),
    };
  }

  /** The early guard: once this process has seen the month used up, it answers 429 without the database. */
  assertNotExhausted(account: AccountEntity, at: Date): void {
    if (this.exhausted.has(account.siteId, at)) throw this.exceeded(this.stateWith(account, at, this.limitOf(account)));
  }

  /**
   * The slots a create tries, in order, until one takes it: the next slot in turn first; if that one was full,
   * every other slot that still has room, shuffled (read from the database only then).
   */
  async *slotsToTry(account: AccountEntity, at: Date): AsyncGenerator<QuotaTake> {
    const caps = this.capsOf(this.limitOf(account));
    const month = monthStart(at);
    const first = this.nextSlot++ % caps.length;
    yield { month, slot: first, cap: caps[first] };
    const usage = await this.usage.slotUsage(account.siteId, month);
    const open = caps.map((_, slot) => slot).filter((slot) => slot !== first && (usage.get(slot) ?? 0) < caps[slot]);
    for (const slot of shuffle(open)) yield { month, slot, cap: caps[slot] };
  }

  /** The month is used up (no slot took the create): remembered for the early guard; the 429 to throw. */
  usedUp(account: AccountEntity, at: Date): QuotaExceededError {
    const state = this.stateWith(account, at, this.limitOf(account));
    this.exhausted.remember(account.siteId, at, state.resetsAt);
    return this.exceeded(state);
  }

  /** `slotCaps` of a limit, computed once per limit (a create asks on every call). */
  private capsOf(limit: number): readonly number[] {
    let caps = this.caps.get(limit);
    if (!caps) {
      caps = slotCaps(limit);
      if (this.caps.size >= 1000) this.caps.clear();
      this.caps.set(limit, caps);
    }
    return caps;
  }

  private exceeded(state: QuotaState): QuotaExceededError {
    return new QuotaExceededError(state.limit, state.resetsAt, state.resetInSeconds);
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
