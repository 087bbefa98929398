import { MAX_WEBHOOK_URL_LENGTH, refusedAddress, urlProblem } from './address-policy.js';

describe(refusedAddress.name, () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['fc00::1', 'uniqueLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
  ])('refuses %s (%s)', (address, range) => {
    expect(refusedAddress(address)).toBe(`${address} is a ${range} address`);
  });

  it.each(['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '8.8.8.8'])('accepts public %s', (address) => {
    expect(refusedAddress(address)).toBeUndefined();
  });
});

describe(urlProblem.name, () => {
  const policy = { production: false, allowPrivate: false, resolve: async () => ['93.184.215.14'] };

  it('accepts a public https URL', async () => {
    expect(await urlProblem('https://hooks.example.com/x', policy)).toBeUndefined();
  });

  it.each(['hooks.example.com/x', '/relative', 'ftp://hooks.example.com/', 'javascript:alert(1)', 'not a url'])(
    'refuses %s as not absolute http(s)',
    async (url) => {
      expect(await urlProblem(url, policy)).toBe('url must be an absolute http(s) URL');
    },
  );

  it('refuses a URL longer than the limit', async () => {
    const url = `https://hooks.example.com/${'a'.repeat(MAX_WEBHOOK_URL_LENGTH)}`;
    expect(await urlProblem(url, policy)).toBe(`url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  });

  it('refuses http in production only', async () => {
    expect(await urlProblem('http://hooks.example.com/', { ...policy, production: true })).toBe('url must use https');
    expect(await urlProblem('http://hooks.example.com/', policy)).toBeUndefined();
  });

  it('refuses a literal private address and a host resolving to loopback, unless private is allowed', async () => {
    expect(await urlProblem('http://10.0.0.7:8080/', policy)).toBe(
      'url host 10.0.0.7 is refused: 10.0.0.7 is a private address',
    );
    expect(await urlProblem('http://[::1]/', policy)).toBe('url host ::1 is refused: ::1 is a loopback address');
    const rebinding = { ...policy, resolve: async () => ['93.184.215.14', '127.0.0.1'] };
    expect(await urlProblem('https://evil.example/', rebinding)).toBe(
      'url host evil.example is refused: it resolves to a loopback address',
    );
    expect(await urlProblem('http://127.0.0.1/', { ...policy, allowPrivate: true })).toBeUndefined();
  });

  it('refuses a host that does not resolve', async () => {
    const nowhere = { ...policy, resolve: async () => Promise.reject(new Error('ENOTFOUND')) };
    expect(await urlProblem('https://nowhere.invalid/', nowhere)).toBe('url host nowhere.invalid does not resolve');
  });

  it('refuses credentials in the URL', async () => {
    expect(await urlProblem('https://user:pw@hooks.example.com/', policy)).toBe('url must not carry credentials');
  });
});
