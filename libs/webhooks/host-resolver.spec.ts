import { performance } from 'node:perf_hooks';
import { FakeDns } from '../../test/support/fake-dns.js';
import { refusedAddress } from './address-policy.js';
import { boundedLookup, HostNotFoundError, resolveHost, ResolverUnavailableError } from './host-resolver.js';

const dns = new FakeDns();
let servers: string[];

beforeAll(async () => {
  servers = [await dns.start()];
  dns.records.set('hooks.example.com', ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c']);
  dns.records.set('v4only.example.com', ['93.184.215.14']);
  dns.records.set('inside.example.com', ['93.184.215.14', '::ffff:a00:1']);
});
afterAll(() => dns.stop());
afterEach(() => {
  dns.mode = 'answer';
});

describe(resolveHost.name, () => {
  it('answers both families, IPv4 first, from the configured name servers', async () => {
    expect(await resolveHost('hooks.example.com', { timeoutMs: 2000, servers })).toEqual([
      '93.184.215.14',
      '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
    ]);
    expect(await resolveHost('v4only.example.com', { timeoutMs: 2000, servers })).toEqual(['93.184.215.14']);
  });

  it('answers IP literals and localhost without asking', async () => {
    const before = dns.queries;
    expect(await resolveHost('10.0.0.1', { timeoutMs: 2000, servers })).toEqual(['10.0.0.1']);
    expect(await resolveHost('api.LOCALHOST.', { timeoutMs: 2000, servers })).toEqual(['127.0.0.1', '::1']);
    expect(dns.queries).toBe(before);
  });

  it('tells a name that does not exist apart (the caller’s mistake)', async () => {
    await expect(resolveHost('nowhere.example.com', { timeoutMs: 2000, servers })).rejects.toBeInstanceOf(
      HostNotFoundError,
    );
  });

  it('gives up on a silent name server at its deadline', async () => {
    dns.mode = 'silent';
    const started = performance.now();
    const outcome = resolveHost('hooks.example.com', { timeoutMs: 300, servers });
    await expect(outcome).rejects.toBeInstanceOf(ResolverUnavailableError);
    // The deadline's own message: neither c-ares's timeout (twice as long) nor an answer ended the wait.
    await expect(outcome).rejects.toThrow(/within 300 ms/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe(boundedLookup.name, () => {
  const lookup = (host: string, all: boolean) =>
    new Promise<unknown>((resolve, reject) =>
      boundedLookup({ timeoutMs: 1000, servers }, (address) => refusedAddress(address))(
        host,
        { all },
        (error, address, family) => (error ? reject(error) : resolve(all ? address : [address, family])),
      ),
    );

  it('answers in both shapes node:net asks for', async () => {
    expect(await lookup('v4only.example.com', true)).toEqual([{ address: '93.184.215.14', family: 4 }]);
    expect(await lookup('hooks.example.com', false)).toEqual(['93.184.215.14', 4]);
  });

  it('refuses a name with a refused address, without naming the address', async () => {
    await expect(lookup('inside.example.com', true)).rejects.toThrow('inside.example.com is not allowed');
  });
});
