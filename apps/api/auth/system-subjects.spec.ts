import { isSystemActorName } from '#app/domain';
import { AuthenticationError } from './authentication.error.js';
import { principalOf } from './jwt-claims.js';

const valid = { site_ids: ['20762324'], permissions: ['read', 'write'] };

describe('a credential speaking as the service (system:<process>)', () => {
  it.each([
    'system:worker',
    'system:cli',
    'system:',
    'System:Worker',
    'SYSTEM:api',
    ' system:worker',
    '\u200bsystem:worker',
    'system\uff1aworker', // a fullwidth colon
    '\uff53ystem:worker', // a fullwidth s
    'system\u034f:worker', // a combining grapheme joiner (default-ignorable, not Cf)
    'system\ufe0f:worker', // a variation selector
    '\u3164system:worker', // the Hangul filler
    's\u0443stem:worker', // a Cyrillic y
    'system\u2236worker', // the ratio sign
    'system\ua789worker', // a modifier letter colon
    'syste\u0301m:worker', // a combining acute accent
  ])('refuses a bearer token whose sub is %j with 401 saying why', (sub) => {
    expect(() => principalOf({ ...valid, sub })).toThrow(AuthenticationError);
    expect(() => principalOf({ ...valid, sub })).toThrow(
      'bearer token claim sub must not start with "system:": that prefix names the service\'s own processes',
    );
  });

  it.each(['Mike', 'systems:admin', 'my system:worker', 'system-worker', 'sys tem'])('accepts %j', (sub) => {
    expect(principalOf({ ...valid, sub }).subject).toBe(sub);
    expect(isSystemActorName(sub)).toBe(false);
  });
});
