import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawOptions {
  method?: string;
  headers?: Record<string, string>;
  /** The client's own address (any of 127.0.0.0/8 on Linux): lets a test be several clients. */
  localAddress?: string;
  host?: string;
}

/**
 * One HTTP/1.1 request written as is on a socket: the target is sent byte for byte (fetch and http.request
 * normalise or refuse absolute-form targets, dot segments and odd encodings).
 */
export function rawRequest(port: number, target: string, options: RawOptions = {}): Promise<RawAnswer> {
  const { method = 'GET', headers = {}, localAddress = '127.0.0.1', host = '127.0.0.1' } = options;
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${host}:${port}`, 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (method !== 'GET' && method !== 'HEAD') lines.push('Content-Length: 0');
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host, localAddress }, () => socket.write(`${lines.join('\r\n')}\r\n\r\n`));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine = '', ...headerLines] = text.slice(0, split).split('\r\n');
      const status = Number(statusLine.split(' ')[1]);
      const parsed: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        parsed[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status, headers: parsed, body: text.slice(split + 4) });
    });
  });
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
