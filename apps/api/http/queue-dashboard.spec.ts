import { basicCredentialsMatch } from './queue-dashboard.js';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe(basicCredentialsMatch.name, () => {
  const [user, password] = ['sre', 'correct-horse-battery-staple'];

  it('accepts the right user and password, whatever the case of the scheme', () => {
    expect(basicCredentialsMatch(basic(`${user}:${password}`), user, password)).toBe(true);
    expect(basicCredentialsMatch(`basic ${basic(`${user}:${password}`).slice(6)}`, user, password)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another scheme', `Bearer ${basic(`${user}:${password}`).slice(6)}`],
    ['no colon', basic(`${user}${password}`)],
    ['a wrong password of the same length', basic(`${user}:${password.slice(0, -1)}f`)],
    ['a longer password', basic(`${user}:${password}!`)],
    ['a shorter password', basic(`${user}:${password.slice(1)}`)],
    ['a wrong user', basic(`srf:${password}`)],
    ['user and password swapped around the colon', basic(`${user}${password.slice(0, 3)}:${password.slice(3)}`)],
    ['a very long value', basic(`${user}:${'x'.repeat(100_000)}`)],
  ])('refuses %s', (_, header) => {
    expect(basicCredentialsMatch(header, user, password)).toBe(false);
  });
});
