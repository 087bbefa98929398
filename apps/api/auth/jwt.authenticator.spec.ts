import { loadConfig } from '#app/config';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthenticationError } from './authentication.error.js';
import { JwtAuthenticator } from './jwt.authenticator.js';

const claims = { site_ids: ['20762324'], permissions: ['read'] };

function sign(key: CryptoKey, alg: 'ES256' | 'RS256', kid: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, kid }).setSubject('sso-user').setExpirationTime('5m').sign(key);
}

describe(JwtAuthenticator.name, () => {
  let server: Server;
  let jwksUrl: string;
  let es256: CryptoKey;
  let rs256: CryptoKey;

  beforeAll(async () => {
    const es = await generateKeyPair('ES256');
    const rs = await generateKeyPair('RS256');
    es256 = es.privateKey;
    rs256 = rs.privateKey;
    const keys: JWK[] = [
      { ...(await exportJWK(es.publicKey)), kid: 'es', alg: 'ES256', use: 'sig' },
      { ...(await exportJWK(rs.publicKey)), kid: 'rs', alg: 'RS256', use: 'sig' },
    ];
    // A JWKS endpoint of the identity provider, on loopback.
    server = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each([
    ['ES256', () => sign(es256, 'ES256', 'es')],
    ['RS256', () => sign(rs256, 'RS256', 'rs')],
  ])('accepts an %s token whose key the JWKS URL publishes', async (_, token) => {
    const authenticator = new JwtAuthenticator(loadConfig({ AUTH_JWKS_URL: jwksUrl }));
    const principal = await authenticator.authenticate(await token());
    expect(principal).toMatchObject({ subject: 'sso-user', siteIds: ['20762324'], scheme: 'Bearer' });
  });

  it('rejects a token signed by a key the JWKS does not publish', async () => {
    const stranger = (await generateKeyPair('ES256')).privateKey;
    const authenticator = new JwtAuthenticator(loadConfig({ AUTH_JWKS_URL: jwksUrl }));
    await expect(authenticator.authenticate(await sign(stranger, 'ES256', 'es'))).rejects.toBeInstanceOf(
      AuthenticationError,
    );
  });

  it('rejects an HS256 token when only a JWKS is configured', async () => {
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('some-secret-that-nobody-configured'));
    const authenticator = new JwtAuthenticator(loadConfig({ AUTH_JWKS_URL: jwksUrl }));
    await expect(authenticator.authenticate(hs)).rejects.toThrow('bearer token algorithm "HS256" is not accepted');
  });

  it('does not trust a remembered token past its expiry', async () => {
    const secret = 'unit-test-secret-of-sufficient-length';
    const authenticator = new JwtAuthenticator(
      loadConfig({ AUTH_JWT_SECRET: secret, AUTH_JWT_CLOCK_TOLERANCE_SECONDS: '0' }),
    );
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
      .sign(new TextEncoder().encode(secret));
    await expect(authenticator.authenticate(token)).resolves.toMatchObject({ subject: 'x' });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expect(authenticator.authenticate(token)).rejects.toThrow('bearer token has expired');
  });
});
