import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

/**
 * Sends `request` as written on a fresh socket and reads until the server closes it: for what fetch would
 * normalize or refuse to send (an absolute-form target, a broken Host, duplicated headers, a lying
 * Content-Length). Written without a half-close unless asked (Node drops a request in progress on one: the
 * way to end a body shorter than its Content-Length). `status` is 0 when the server closed without an answer.
 */
export function rawRequest(
  port: number,
  request: string | Buffer,
  options: { timeoutMs?: number; halfClose?: boolean } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(options.timeoutMs ?? 5000, () => socket.destroy());
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error),
    );
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const head = split === -1 ? text : text.slice(0, split);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      // The first answer only: bytes past a body's declared length answer what the server took for a second request.
      const length = /^content-length: *(\d+)/im.exec(head)?.[1];
      const rest = split === -1 ? '' : Buffer.from(text.slice(split + 4));
      const body = length === undefined ? rest.toString() : rest.subarray(0, Number(length)).toString();
      resolve({ status, head, body });
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
