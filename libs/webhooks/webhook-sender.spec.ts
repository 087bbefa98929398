import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeDns } from '../../test/support/fake-dns.js';
import { WebhookSender, type SendOptions } from './webhook-sender.js';

/** A receiver of the test's own: each path answers its own way. */
const receiver = http.createServer((request, response) => {
  request.resume();
  const drip = (status: number) => {
    response.writeHead(status, { 'content-type': 'text/plain' });
    response.flushHeaders();
    const timer = setInterval(() => response.write('.'), 100);
    response.on('close', () => clearInterval(timer));
  };
  if (request.url === '/trickle-ok') drip(200);
  else if (request.url === '/trickle-fail') drip(503);
  else if (request.url === '/silent') return;
  else response.writeHead(204).end();
});

describe(WebhookSender.name, () => {
  const sender = new WebhookSender();
  const dns = new FakeDns();
  let base: string;
  let options: SendOptions;
  const send = (url: string, more: Partial<SendOptions> = {}) => sender.send(url, {}, '{}', { ...options, ...more });

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
    const servers = [await dns.start()];
    dns.records.set('receiver.test', ['127.0.0.1']);
    options = {
      timeoutMs: 800,
      allowPrivate: true,
      production: false,
      allowedPorts: [443],
      dns: { timeoutMs: 300, servers },
    };
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
    await dns.stop();
  });
  afterEach(() => {
    dns.mode = 'answer';
  });

  it('counts a 2xx status line as delivered at once, without waiting for a body that trickles', async () => {
    const result = await send(`${base}/trickle-ok`);
    expect(result).toMatchObject({ ok: true, statusCode: 200, error: null, refused: false });
    expect(result.durationMs).toBeLessThan(800); // sooner than the 800 ms deadline
  });

  it('fails another status, keeping what arrived of its body by the deadline', async () => {
    const result = await send(`${base}/trickle-fail`);
    expect(result).toMatchObject({
      ok: false,
      statusCode: 503,
      error: 'answered 503',
      excerpt: expect.stringMatching(/^\.+$/),
    });
    expect(result.durationMs).toBeLessThan(4000);
  });

  it('fails a receiver that sends no status line within the deadline', async () => {
    const result = await send(`${base}/silent`);
    expect(result).toMatchObject({ ok: false, statusCode: null, error: 'no answer within 800 ms' });
    expect(result.durationMs).toBeLessThan(4000);
  });

  it('resolves a name through the bounded resolver, and fails within its deadline when the resolver is silent', async () => {
    const port = new URL(base).port;
    expect(await send(`http://receiver.test:${port}/ok`)).toMatchObject({ ok: true, statusCode: 204 });
    dns.mode = 'silent';
    const result = await send(`http://receiver.test:${port}/ok`, { timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: false, statusCode: null, error: expect.stringMatching(/within 300 ms/) });
    expect(result.durationMs).toBeLessThan(4000);
  });

  it('refuses, at delivery, a name resolving to loopback and literal embeddings the filter would let by', async () => {
    const strict = { allowPrivate: false };
    const port = new URL(base).port;
    expect(await send(`http://receiver.test:${port}/ok`, { ...strict, allowedPorts: [Number(port)] })).toMatchObject({
      ok: false,
      refused: true,
      error: 'the url host resolved to an address that is not public',
    });
    expect(await send(`http://[::7f00:1]/ok`, strict)).toMatchObject({ ok: false, refused: true });
    expect(await send(`https://[::ffff:a00:1]/ok`, strict)).toMatchObject({ ok: false, refused: true });
  });

  it('refuses a port not allowed (a URL registered before the setting changed)', async () => {
    expect(await send('https://hooks.example.com:8443/', { allowPrivate: false })).toMatchObject({
      ok: false,
      refused: true,
      error: 'url port 8443 is not allowed; allowed: 443, 80',
    });
  });
});
