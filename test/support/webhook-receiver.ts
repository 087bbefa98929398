import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How a path answers: 200, 500, a dropped connection, never (the worker's timeout ends it), or a 200 status line
 * whose body then drips a byte at a time and never ends.
 */
export type ReceiverMode = 'ok' | 'fail' | 'drop' | 'hang' | 'trickle';

export interface Received {
  path: string;
  id: string;
  timestamp: string;
  /** The signature checked with our own implementation of the Standard Webhooks specification. */
  verified: boolean;
  body: {
    type: string;
    timestamp: string;
    data: { request_id: number; siteid: string; status: string; stores: unknown[] };
  };
  answered: ReceiverMode;
}

/** Verifies `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with the base64 key after `whsec_`. */
export function verifySignature(secret: string, id: string, timestamp: string, body: string, header: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return header.split(' ').some((part) => {
    const [version, signature] = part.split(',');
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** A webhook receiver of the test's own on 127.0.0.1: one secret and one mode per path. */
export class WebhookReceiver {
  readonly received: Received[] = [];
  readonly secrets = new Map<string, string>();
  readonly modes = new Map<string, ReceiverMode>();
  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const text = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => String(request.headers[name] ?? '');
      const [id, timestamp] = [header('webhook-id'), header('webhook-timestamp')];
      const secret = this.secrets.get(path);
      const mode = this.modes.get(path) ?? 'ok';
      this.received.push({
        path,
        id,
        timestamp,
        verified: !!secret && verifySignature(secret, id, timestamp, text, header('webhook-signature')),
        body: JSON.parse(text) as Received['body'],
        answered: mode,
      });
      if (mode === 'ok') response.writeHead(204).end();
      else if (mode === 'fail') response.writeHead(500).end('receiver failing on purpose');
      else if (mode === 'drop') request.socket.destroy();
      else if (mode === 'trickle') {
        response.writeHead(200, { 'content-type': 'text/plain' }).flushHeaders();
        const drip = setInterval(() => response.write('.'), 200);
        response.on('close', () => clearInterval(drip));
      }
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What `path` received for `requestId`, in arrival order. */
  of(path: string, requestId?: number): Received[] {
    return this.received.filter(
      (r) => r.path === path && (requestId === undefined || r.body.data.request_id === requestId),
    );
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
