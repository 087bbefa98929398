/**
 * Domain errors: what went wrong in the service's own terms. They know nothing of HTTP;
 * the API's exception filter maps each to a status code.
 */
export abstract class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input breaks a rule; the message names the field and the rule. */
export class InvalidRequestError extends DomainError {}

/** No such thing for this account (or it belongs to another one: the same answer). */
export class NotFoundError extends DomainError {}

/** The thing exists but its state forbids the operation. */
export class ConflictError extends DomainError {}

/** The caller is known but may not do this. */
export class ForbiddenError extends DomainError {}

/** The account's monthly quota is used up. */
export class QuotaExceededError extends DomainError {
  constructor(
    readonly limit: number,
    readonly resetsAt: Date,
    /** Seconds from now (the service's clock) until the reset. */
    readonly retryAfterSeconds: number,
  ) {
    super(`the monthly quota of ${limit} deletion requests is used up; it resets at ${resetsAt.toISOString()}`);
  }
}

/** A replayed Idempotency-Key came with another body. */
export class IdempotencyConflictError extends DomainError {}

/** The work could not be done within its deadline (a dependency slow or silent); worth a retry. */
export class DeadlineExceededError extends DomainError {
  constructor(
    message: string,
    /** Why, for the log (ids and timings only). */
    readonly reason: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
