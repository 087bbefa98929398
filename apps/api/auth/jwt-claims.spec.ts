import { AuthenticationError } from './authentication.error.js';
import { principalOf } from './jwt-claims.js';

const valid = { sub: 'Mike', site_ids: ['20762324'], permissions: ['read', 'write'] };

describe(principalOf.name, () => {
  it('reads the principal of sane claims', () => {
    expect(principalOf({ ...valid, extra: { nested: [1] } })).toMatchObject({
      subject: 'Mike',
      siteIds: ['20762324'],
      scheme: 'Bearer',
    });
    expect(principalOf({ ...valid, sub: 'x'.repeat(255) }).subject).toHaveLength(255);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['missing', undefined],
    ['empty', ''],
    ['256 characters', 'x'.repeat(256)],
    ['a number', 42],
    ['an object', { name: 'Mike' }],
    ['an array', ['Mike']],
  ])('refuses a sub that is %s with 401', (_, sub) => {
    expect(() => principalOf({ ...valid, sub: sub as string })).toThrow(AuthenticationError);
    expect(() => principalOf({ ...valid, sub: sub as string })).toThrow(
      'bearer token claim sub must be a string of 1 to 255 characters',
    );
  });

  it.each(['Mi\u0000ke', 'Mike\n', '\uD83D'])('refuses a sub holding unstorable text (%j) with 401', (sub) => {
    expect(() => principalOf({ ...valid, sub })).toThrow('sub must not contain control characters');
  });

  it.each<[string, unknown]>([
    ['a string', '20762324'],
    ['null', null],
    ['holding a number', [20762324]],
    ['holding null', [null]],
    ['holding an empty string', ['']],
    ['holding a long string', ['1'.repeat(65)]],
    ['of 1001 items', Array.from({ length: 1001 }, (_, i) => String(i))],
    ['an object', { 0: '20762324' }],
  ])('refuses site_ids %s with 401', (_, siteIds) => {
    expect(() => principalOf({ ...valid, site_ids: siteIds })).toThrow(/bearer token claim site_ids must be an array/);
  });

  it.each<[string, unknown]>([
    ['a string', 'read'],
    ['holding a number', [1]],
    ['of 17 items', new Array(17).fill('read')],
    ['naming an unknown permission', ['admin']],
  ])('refuses permissions %s with 401', (_, permissions) => {
    expect(() => principalOf({ ...valid, permissions })).toThrow(AuthenticationError);
    expect(() => principalOf({ ...valid, permissions })).toThrow(/bearer token claim permissions/);
  });
});
