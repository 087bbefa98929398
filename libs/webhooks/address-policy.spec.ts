import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { MAX_WEBHOOK_URL_LENGTH, portProblem, refusedAddress, urlProblem } from './address-policy.js';
import { HostNotFoundError } from './host-resolver.js';

describe(refusedAddress.name, () => {
  it.each([
    ['127.0.0.1', 'a loopback'],
    ['::1', 'a loopback'],
    ['10.1.2.3', 'a private'],
    ['172.16.0.1', 'a private'],
    ['192.168.1.1', 'a private'],
    ['169.254.169.254', 'a linkLocal'],
    ['fe80::1', 'a linkLocal'],
    ['224.0.0.1', 'a multicast'],
    ['ff02::1', 'a multicast'],
    ['0.0.0.0', 'an unspecified'],
    ['::', 'an unspecified'],
    ['fc00::1', 'an uniqueLocal'],
    ['100.64.0.1', 'a carrierGradeNat'],
  ])('refuses %s (%s)', (address, range) => {
    expect(refusedAddress(address)).toBe(`${address} is ${range} address`);
  });

  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1', 'a loopback'],
    ['::ffff:10.0.0.1', '10.0.0.1', 'a private'],
    ['::7f00:1', '127.0.0.1', 'a loopback'],
    ['::127.0.0.1', '127.0.0.1', 'a loopback'],
    ['::a9fe:a9fe', '169.254.169.254', 'a linkLocal'],
    ['::ffff:0:a00:1', '10.0.0.1', 'a private'],
    ['64:ff9b::7f00:1', '127.0.0.1', 'a loopback'],
    ['64:ff9b::10.0.0.1', '10.0.0.1', 'a private'],
    ['2002:7f00:1::', '127.0.0.1', 'a loopback'],
    ['2002:c0a8:101::1', '192.168.1.1', 'a private'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', '127.0.0.1', 'a loopback'],
  ])('refuses %s, which embeds %s, like the IPv4 address (%s)', (address, ipv4, range) => {
    expect(refusedAddress(address)).toBe(`${address} embeds ${ipv4}, ${range} address`);
    expect(refusedAddress(address, false)).toMatch(new RegExp(`address of ${range} address$`));
  });

  it.each([
    ['::ffff:8.8.8.8', 'an IPv4-mapped'],
    ['::808:808', 'an IPv4-compatible'],
    ['64:ff9b::808:808', 'a NAT64'],
    ['2002:808:808::1', 'a 6to4'],
  ])('refuses %s, a translation form of a public address, naming it (%s)', (address, form) => {
    expect(refusedAddress(address)).toBe(`${address} is ${form} address (register 8.8.8.8 itself)`);
  });

  it.each(['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '8.8.8.8'])('accepts public %s', (address) => {
    expect(refusedAddress(address)).toBeUndefined();
  });

  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((octets) => octets.join('.'));
  const v6 = (parts: number[]) => new ipaddr.IPv6(parts).toString();
  const hex = (a: string) => {
    const [b0, b1, b2, b3] = a.split('.').map(Number);
    return [(b0 << 8) | b1, (b2 << 8) | b3];
  };
  const EMBEDDINGS: Record<string, (a: string) => string> = {
    mapped: (a) => v6([0, 0, 0, 0, 0, 0xffff, ...hex(a)]),
    compatible: (a) => v6([0, 0, 0, 0, 0, 0, ...hex(a)]),
    translated: (a) => v6([0, 0, 0, 0, 0xffff, 0, ...hex(a)]),
    nat64: (a) => v6([0x64, 0xff9b, 0, 0, 0, 0, ...hex(a)]),
    '6to4': (a) => v6([0x2002, ...hex(a), 0, 0, 0, 0, 1]),
    teredo: (a) => v6([0x2001, 0, 0x4136, 0xe378, 0x8000, 0x63bf, ...hex(a).map((part) => part ^ 0xffff)]),
  };

  it.each(Object.keys(EMBEDDINGS))('refuses every %s IPv6 form of every IPv4 address the IPv4 rule refuses', (form) => {
    fc.assert(
      fc.property(ipv4, (address) => {
        if (!refusedAddress(address)) return;
        const embedded = EMBEDDINGS[form](address);
        expect(refusedAddress(embedded)).toBeDefined();
        // Only 0.0.0.0 and 0.0.0.1 in the compatible form are :: and ::1 themselves.
        if (!(form === 'compatible' && /^0\.0\.0\.[01]$/.test(address))) {
          expect(refusedAddress(embedded)).toContain(`embeds ${address}, `);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses the forms of public addresses too, as delivery would', () => {
    fc.assert(
      fc.property(ipv4, fc.constantFrom(...Object.values(EMBEDDINGS)), (address, embed) => {
        expect(refusedAddress(embed(address))).toBeDefined();
      }),
      { numRuns: 500 },
    );
  });
});

describe(urlProblem.name, () => {
  const policy = {
    production: false,
    allowPrivate: false,
    allowedPorts: [443],
    resolve: async () => ['93.184.215.14'],
  };

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

  it.each([
    ['http://[::127.0.0.1]/', 'url host ::7f00:1 is refused: ::7f00:1 embeds 127.0.0.1, a loopback address'],
    ['http://[::7f00:1]/', 'url host ::7f00:1 is refused: ::7f00:1 embeds 127.0.0.1, a loopback address'],
    [
      'https://[::ffff:10.1.2.3]/',
      'url host ::ffff:a01:203 is refused: ::ffff:a01:203 embeds 10.1.2.3, a private address',
    ],
    [
      'https://[64:ff9b::a9fe:a9fe]/',
      'url host 64:ff9b::a9fe:a9fe is refused: 64:ff9b::a9fe:a9fe embeds 169.254.169.254, a linkLocal address',
    ],
  ])('refuses %s like the IPv4 address it embeds', async (url, message) => {
    expect(await urlProblem(url, policy)).toBe(message);
  });

  it('refuses a name resolving to an embedding of a private address without showing the address', async () => {
    const mapped = { ...policy, resolve: async () => ['::ffff:10.0.0.1'] };
    expect(await urlProblem('https://evil.example/', mapped)).toBe(
      'url host evil.example is refused: it resolves to an IPv4-mapped address of a private address',
    );
  });

  it('refuses a host that does not resolve', async () => {
    const nowhere = { ...policy, resolve: async () => Promise.reject(new HostNotFoundError('nowhere.invalid')) };
    expect(await urlProblem('https://nowhere.invalid/', nowhere)).toBe('url host nowhere.invalid does not resolve');
  });

  it('lets a resolver failure other than "not found" propagate (the service answers 503)', async () => {
    const silent = { ...policy, resolve: async () => Promise.reject(new Error('ETIMEOUT')) };
    await expect(urlProblem('https://hooks.example.com/', silent)).rejects.toThrow('ETIMEOUT');
  });

  it('refuses credentials in the URL', async () => {
    expect(await urlProblem('https://user:pw@hooks.example.com/', policy)).toBe('url must not carry credentials');
  });

  it.each([
    ['https://hooks.example.com:8443/', 'url port 8443 is not allowed; allowed: 443, 80'],
    ['https://hooks.example.com:22/', 'url port 22 is not allowed; allowed: 443, 80'],
    ['http://hooks.example.com:6379/', 'url port 6379 is not allowed; allowed: 443, 80'],
  ])('refuses %s: a port that is not allowed', async (url, message) => {
    expect(await urlProblem(url, policy)).toBe(message);
  });

  it('accepts 443, 80 for plain http outside production, and the configured ports', async () => {
    expect(await urlProblem('https://hooks.example.com:443/', policy)).toBeUndefined();
    expect(await urlProblem('http://hooks.example.com/', policy)).toBeUndefined();
    expect(
      await urlProblem('https://hooks.example.com:8443/', { ...policy, allowedPorts: [443, 8443] }),
    ).toBeUndefined();
    expect(await urlProblem('https://hooks.example.com:8443/', { ...policy, allowPrivate: true })).toBeUndefined();
  });
});

describe(portProblem.name, () => {
  const rules = { production: true, allowPrivate: false, allowedPorts: [443] };

  it('allows no port 80 in production', () => {
    expect(portProblem(new URL('https://h.example:80/'), rules)).toBe('url port 80 is not allowed; allowed: 443');
    expect(portProblem(new URL('https://h.example/'), rules)).toBeUndefined();
  });
});
