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
