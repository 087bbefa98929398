import dgram from 'node:dgram';

/** What the server does with a query: answer from its records (NXDOMAIN for an unknown name), or stay silent. */
export type DnsMode = 'answer' | 'silent';

const TYPE_A = 1;
const TYPE_AAAA = 28;

/** The question's name (labels joined with dots, lower case) and where the question ends. */
function question(query: Buffer): { name: string; end: number; type: number } {
  const labels: string[] = [];
  let at = 12;
  while (query[at] !== 0) {
    labels.push(query.subarray(at + 1, at + 1 + query[at]).toString('ascii'));
    at += query[at] + 1;
  }
  return { name: labels.join('.').toLowerCase(), end: at + 5, type: query.readUInt16BE(at + 1) };
}

function rdata(type: number, address: string): Buffer | undefined {
  if (type === TYPE_A && /^\d+\.\d+\.\d+\.\d+$/.test(address)) return Buffer.from(address.split('.').map(Number));
  if (type !== TYPE_AAAA || !address.includes(':')) return undefined;
  const [head, tail = ''] = address.split('::');
  const parts = (text: string) => (text ? text.split(':').map((part) => parseInt(part, 16)) : []);
  const [h, t] = [parts(head), parts(tail)];
  const all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  const bytes = Buffer.alloc(16);
  all.forEach((part, i) => bytes.writeUInt16BE(part, i * 2));
  return bytes;
}

/**
 * A name server of the tests' own on 127.0.0.1 (UDP): A and AAAA answers from `records`, NXDOMAIN for other names,
 * or, in `silent` mode, no answer at all (a partition, a dead resolver). Counts the queries it got. IPv6
 * records are written in hex groups (`::ffff:a00:1`).
 */
export class FakeDns {
  readonly records = new Map<string, string[]>();
  mode: DnsMode = 'answer';
  queries = 0;
  private readonly socket = dgram.createSocket('udp4');

  async start(): Promise<string> {
    this.socket.on('message', (query, peer) => {
      this.queries++;
      if (this.mode === 'silent') return;
      this.socket.send(this.answer(query), peer.port, peer.address);
    });
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    return `127.0.0.1:${this.socket.address().port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private answer(query: Buffer): Buffer {
    const { name, end, type } = question(query);
    const known = this.records.get(name);
    const answers = (known ?? []).flatMap((address) => {
      const data = rdata(type, address);
      if (!data) return [];
      const record = Buffer.alloc(12);
      record.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      record.writeUInt16BE(type, 2);
      record.writeUInt16BE(1, 4); // IN
      record.writeUInt32BE(60, 6);
      record.writeUInt16BE(data.length, 10);
      return [Buffer.concat([record, data])];
    });
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8180 | (known ? 0 : 3), 2); // a response, recursion available; NXDOMAIN if unknown
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    return Buffer.concat([header, query.subarray(12, end), ...answers]);
  }
}
