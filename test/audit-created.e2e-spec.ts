import { chainHash, eventPayload, GENESIS_HASH } from '#app/audit';
import type { AppConfig } from '#app/config';
import { CREATED_PAYLOAD_SQL } from '#app/database';
import type pg from 'pg';
import { databasePool, freshDatabase, suiteConfig } from './support/test-environment.js';

/**
 * The `created` audit event is sealed by SQL in the create statement, every other event by the audit lib in
 * JavaScript; the verifier recomputes payloads in JavaScript. The two must write the same text for any actor.
 */
describe('the created event sealed in SQL is the one the audit lib would write', () => {
  let config: AppConfig;
  let db: pg.Pool;

  beforeAll(async () => {
    config = suiteConfig('audit-created');
    await freshDatabase(config);
    db = databasePool(config);
  });

  afterAll(async () => {
    await db.end();
  });

  const hostile = [
    'plain-user',
    'quote " and backslash \\ and slash /',
    'controls \b\f\n\r\t and \u0001\u001f\u007f',
    'unicode é 漢字 😀 \u2028\u2029',
    'json-ish {"request_id":"1","seq":2}',
    "single ' quote",
    'x'.repeat(255),
  ];

  it.each(hostile)('payload and hash are identical for actor %j', async (actor) => {
    const at = new Date('2026-12-01T11:22:33.045Z');
    const { rows } = await db.query<{ payload: string; hash: string }>(
      `SELECT p.payload, encode(sha256(convert_to($5 || p.payload, 'UTF8')), 'hex') AS hash
       FROM (SELECT $1::bigint AS id, $2::varchar AS requested_by, $3::timestamptz AS request_time,
                    'consumer'::varchar AS deletion_type, $4::text[] AS subject_ids) r
       CROSS JOIN LATERAL (SELECT ${CREATED_PAYLOAD_SQL} AS payload) p`,
      ['9007199254740993', actor, at, ['a', 'b', 'c'], GENESIS_HASH],
    );
    const content = {
      requestId: '9007199254740993',
      seq: 1,
      type: 'created',
      at,
      actor,
      details: { deletion_type: 'consumer', ids: 3 },
    };
    const payload = eventPayload(content);
    expect(rows[0].payload).toBe(payload);
    expect(rows[0].hash).toBe(chainHash(GENESIS_HASH, payload));
  });
});
