import { connect, createServer, type Server, type Socket } from 'node:net';

/** One client connection and its upstream twin. */
interface Pair {
  client: Socket;
  upstream: Socket | undefined;
}

/**
 * A loopback TCP proxy of the tests' own, to stand in for a network partition: `silence()` stops every byte in
 * both directions while every socket stays open (no reset, no FIN: the apps see nothing but silence), and new
 * connections are accepted but not forwarded; `heal()` resumes, delivering what waited meanwhile, as TCP does
 * when a partition heals before its retransmissions give up.
 */
export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private silent = false;

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, { host: targetHost, port: targetPort });
    server.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  /** `redis://` or `postgres://` URL `url` pointed at this proxy instead. */
  urlFor(url: string): string {
    const through = new URL(url);
    through.hostname = '127.0.0.1';
    through.port = String(this.port);
    return through.toString();
  }

  silence(): void {
    this.silent = true;
    for (const pair of this.pairs) {
      pair.client.pause();
      pair.upstream?.pause();
    }
  }

  heal(): void {
    this.silent = false;
    for (const pair of this.pairs) {
      if (!pair.upstream) this.connectUpstream(pair);
      pair.client.resume();
      pair.upstream?.resume();
    }
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const pair: Pair = { client, upstream: undefined };
    this.pairs.add(pair);
    client.on('error', () => undefined);
    client.on('close', () => {
      pair.upstream?.destroy();
      this.pairs.delete(pair);
    });
    if (this.silent) client.pause();
    else this.connectUpstream(pair);
  }

  private connectUpstream(pair: Pair): void {
    const upstream = connect(this.target.port, this.target.host);
    pair.upstream = upstream;
    upstream.on('error', () => undefined);
    upstream.on('close', () => pair.client.destroy());
    forward(pair.client, upstream, () => this.silent);
    forward(upstream, pair.client, () => this.silent);
  }
}

/** Copies `from` to `to`, pausing on backpressure; never resumes a side the proxy has silenced. */
function forward(from: Socket, to: Socket, silent: () => boolean): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) from.pause();
  });
  to.on('drain', () => {
    if (!silent()) from.resume();
  });
  from.on('end', () => to.end());
}
