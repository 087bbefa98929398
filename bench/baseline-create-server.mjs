// The create benchmark's baseline: a bare node:http server that does what a create must at least do,
// one INSERT and one BullMQ add, against the same PostgreSQL and Redis. No auth, no validation, no quota.
import { Queue } from 'bullmq';
import { createServer } from 'node:http';
import pg from 'pg';

const [port] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const queue = new Queue('baseline', { connection: { url: process.env.REDIS_URL }, prefix: process.env.QUEUE_PREFIX });
await pool.query(
  `CREATE TABLE IF NOT EXISTS baseline_requests (id bigserial PRIMARY KEY, site_id text, delete_json text, request_time timestamptz)`,
);

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  // Fire and forget: an error rejects unhandled and stops the server, as the bare baseline should.
  request.on('end', () => void respond(Buffer.concat(chunks).toString(), response));
});

async function respond(body, response) {
  const { rows } = await pool.query(
    'INSERT INTO baseline_requests (site_id, delete_json, request_time) VALUES ($1, $2, now()) RETURNING id, request_time',
    ['bench', body],
  );
  await queue.add('start', { requestId: rows[0].id }, { jobId: `request-${rows[0].id}`, delay: 3600_000 });
  response.writeHead(201, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ request_id: Number(rows[0].id), request_time: rows[0].request_time }));
}

server.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => void stop());

async function stop() {
  await queue.close();
  await pool.end();
  process.exit(0);
}
