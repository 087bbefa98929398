import type { FastifyRequest } from 'fastify';
import { credentialKey } from './auth-failure-limiter.js';

const request = (authorization?: string) => ({ headers: { authorization } }) as FastifyRequest;

describe(credentialKey.name, () => {
  it('keys an OAuth request by its consumer key, whatever else the header holds', () => {
    const a = credentialKey(request('OAuth oauth_consumer_key="crm", oauth_nonce="1", oauth_signature="x"'));
    const b = credentialKey(request('OAuth oauth_nonce="2", oauth_consumer_key="crm", oauth_signature="y"'));
    expect(a).toBe(b);
    expect(a).toMatch(/^oauth:[\w-]{43}$/);
    expect(credentialKey(request('OAuth oauth_consumer_key="other"'))).not.toBe(a);
  });

  it('keys a percent-encoded consumer key as the key it decodes to', () => {
    expect(credentialKey(request('OAuth oauth_consumer_key="%63rm"'))).toBe(
      credentialKey(request('OAuth oauth_consumer_key="crm"')),
    );
  });

  it('keys a bearer token by its hash, never the token itself', () => {
    const key = credentialKey(request('Bearer abc.def.ghi'));
    expect(key).toMatch(/^bearer:[\w-]{43}$/);
    expect(key).not.toContain('abc');
    expect(credentialKey(request('Bearer abc.def.ghj'))).not.toBe(key);
  });

  it.each([undefined, '', 'Bearer', 'OAuth oauth_nonce="1"', 'Basic abc'])('has no key for %p', (header) => {
    expect(credentialKey(request(header))).toBeUndefined();
  });
});
