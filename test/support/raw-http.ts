import { connect } from 'node:net';

export interface RawAnswer {
  /** 0 when the server closed without an answer. */
  status: number;
  head: string;
  /** Header names in lower case; the last value of a repeated one. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends `request` as written on a fresh socket and reads until the server closes it: for what fetch and
 * http.request would normalize or refuse to send (an absolute-form target, dot segments, odd encodings, a broken
 * Host, duplicated headers, a lying Content-Length). Written without a half-close unless asked (Node drops a
 * request in progress on one: the way to end a body shorter than its Content-Length). `localAddress` (any of
 * 127.0.0.0/8 on Linux) lets a test be several clients.
 */
export function sendRaw(
  port: number,
  request: string | Buffer,
  options: { timeoutMs?: number; halfClose?: boolean; localAddress?: string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress: options.localAddress });
    const chunks: Buffer[] = [];
    socket.setTimeout(options.timeoutMs ?? 5000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error),
    );
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const head = split === -1 ? text : text.slice(0, split);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const line of head.split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      // The first answer only: bytes past a body's declared length answer what the server took for a second request.
      const length = headers['content-length'];
      const rest = split === -1 ? Buffer.alloc(0) : Buffer.from(text.slice(split + 4));
      const body = length === undefined ? rest.toString() : rest.subarray(0, Number(length)).toString();
      resolve({ status, head, headers, body });
    });
    if (options.halfClose) socket.end(request);
    else socket.write(request);
  });
}

/** A request as the bytes a client writes; `Connection: close` so the answer ends with the socket. */
export function rawHttp(method: string, target: string, headers: [string, string][], body = ''): string {
  const lines = [`${method} ${target} HTTP/1.1`, ...headers.map(([name, value]) => `${name}: ${value}`)];
  if (body && !headers.some(([name]) => name.toLowerCase() === 'content-length')) {
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  }
  return `${lines.join('\r\n')}\r\nConnection: close\r\n\r\n${body}`;
}

export interface RawOptions {
  method?: string;
  headers?: Record<string, string>;
  localAddress?: string;
}

/** One request whose target is sent byte for byte, with a plain Host header. */
export function rawRequest(port: number, target: string, options: RawOptions = {}): Promise<RawAnswer> {
  const { method = 'GET', headers = {}, localAddress } = options;
  const lines: [string, string][] = [['Host', `127.0.0.1:${port}`], ...Object.entries(headers)];
  if (method !== 'GET' && method !== 'HEAD') lines.push(['Content-Length', '0']);
  return sendRaw(port, rawHttp(method, target, lines), { localAddress });
}

/** Whether a TCP connection to host:port is accepted. */
export function accepts(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
