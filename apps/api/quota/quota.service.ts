import { AppConfig } from '#app/config';
import { AccountEntity, QuotaRepository, type QuotaTake } from '#app/database';
import { Clock, MAX_QUOTA_SLOTS, monthStart, nextMonthStart, QuotaExceededError, slotCaps } from '#app/domain';
import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';

/** An account's quota for the month holding `at`. */
export interface QuotaState {
  limit: number;
  used: number;
  resetsAt: Date;
  /** Seconds from `at` until the reset. */
  resetInSeconds: number;
}

/** How long a 429 lets this process answer the account's next creates early, without the database. */
const EXHAUSTED_MEMORY_MS = 10_000;

/**
 * The monthly quota (docs/ARCHITECTURE.md, "Quota"). The month's count is kept in up to 64 slots whose caps add up to the limit
 * (`slotCaps`); a create takes one unit of one slot in the same statement that records it, so concurrent
 * creates of one account rarely wait on each other's row lock, and together never take more than the limit.
 */
@Injectable()
export class QuotaService {
  private readonly exhaustedUntil = new Map<string, number>();
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
    if (this.exhaustedUntil.size === 0) return; // the usual case, without building the key
    const key = memoryKey(account, at);
    const until = this.exhaustedUntil.get(key);
    if (until === undefined) return;
    if (until > at.getTime()) throw this.exceeded(this.stateWith(account, at, this.limitOf(account)));
    this.exhaustedUntil.delete(key);
  }

  /**
   * The authoritative take: `attempt` records the request while taking one unit of the slot it is given, or
   * answers null when that slot is full. The next slot in turn first; if full, every slot that still has room; if none
   * takes it, the month is used up: QuotaExceededError.
   */
  async take<T>(account: AccountEntity, at: Date, attempt: (take: QuotaTake) => Promise<T | null>): Promise<T> {
    const caps = this.capsOf(this.limitOf(account));
    const month = monthStart(at);
    const first = this.nextSlot++ % caps.length;
    const taken = await attempt({ month, slot: first, cap: caps[first]! });
    if (taken) return taken;
    const usage = await this.usage.slotUsage(account.siteId, month);
    const open = caps.map((_, slot) => slot).filter((slot) => slot !== first && (usage.get(slot) ?? 0) < caps[slot]!);
    for (const slot of shuffle(open)) {
      const next = await attempt({ month, slot, cap: caps[slot]! });
      if (next) return next;
    }
    const state = this.stateWith(account, at, this.limitOf(account));
    this.exhaustedUntil.set(
      memoryKey(account, at),
      Math.min(at.getTime() + EXHAUSTED_MEMORY_MS, state.resetsAt.getTime()),
    );
    throw this.exceeded(state);
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

function memoryKey(account: AccountEntity, at: Date): string {
  return `${account.siteId}:${monthStart(at).toISOString()}`;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** The IETF RateLimit headers for a quota state. */
export function rateLimitHeaders(state: QuotaState): Record<string, string> {
  return {
    'RateLimit-Limit': String(state.limit),
    'RateLimit-Remaining': String(Math.max(0, state.limit - state.used)),
    'RateLimit-Reset': String(state.resetInSeconds),
  };
}
