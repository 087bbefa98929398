import { DeadlineExceededError } from '#app/domain';
import { AllExceptionsFilter, isDatabaseUnavailable } from './all-exceptions.filter.js';

describe(AllExceptionsFilter.name, () => {
  const context = { reqId: 'req-1', site_id: 'site_1' };

  it('answers a missed deadline 503 with Retry-After in the common body, its reason kept for the log only', () => {
    const error = new DeadlineExceededError('could not be recorded in time; retry later', 'batch ahead hung', 5);
    expect(new AllExceptionsFilter().toResponse(error, context)).toEqual({
      body: { statusCode: 503, error: 'Service Unavailable', message: 'could not be recorded in time; retry later' },
      headers: { 'Retry-After': '5' },
    });
  });

  it.each([
    ['a client-side query timeout', new Error('Query read timeout')],
    ['statement_timeout', Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })],
    ['lock_timeout', Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' })],
  ])('counts %s as the database unavailable (503), not a bug (500)', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('answers a client that hung up mid-body 400, not 503: its ECONNRESET is no database outage', () => {
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET', statusCode: 400 });
    expect(new AllExceptionsFilter().toResponse(aborted, context)).toEqual({
      body: { statusCode: 400, error: 'Bad Request', message: 'aborted' },
      headers: {},
    });
  });
});
