import { isRequestId } from './request-id.js';

describe(isRequestId.name, () => {
  it.each(['1', '42', '9223372036854775807'])('accepts %s', (value) => expect(isRequestId(value)).toBe(true));

  it.each([
    '0',
    '-1',
    '01',
    '1.5',
    'abc',
    '',
    ' 1',
    '9223372036854775808',
    '9999999999999999999',
    '10000000000000000000',
  ])('rejects %j', (value) => expect(isRequestId(value)).toBe(false));

  it('rejects what is not a string', () => {
    expect(isRequestId(42)).toBe(false);
    expect(isRequestId(null)).toBe(false);
  });
});
