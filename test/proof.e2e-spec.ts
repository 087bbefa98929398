import type { AppConfig } from '#app/config';
import { createHash, createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { createAccount, seedStores } from './support/cli-fixtures.js';
import { startApi, waitUntilReady } from './support/ops-apps.js';
import { runCliResult, startApp, stopApp, type AppProcess } from './support/processes.js';
import { waitForStatus } from './support/requests.js';
import { databasePool, freshEnvironment, suiteConfig } from './support/test-environment.js';
import { bearer } from './support/tokens.js';

const SITE = 'proof_site';
const OTHER = 'proof_other';
const SLOW = 'proof_slow';
const GENESIS = '0'.repeat(64);

interface AuditEvent {
  seq: number;
  type: string;
  actor: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

describe('proof of erasure: read-back, the audit trail and signed receipts', () => {
  let config: AppConfig;
  let db: pg.Pool;
  let api: AppProcess;
  let worker: AppProcess;
  let base: string;
  const files = mkdtempSync(join(tmpdir(), 'pdd-proof-'));
  const done: { engagement: number; consumer: number } = { engagement: 0, consumer: 0 };
  let seeded: Record<'engagement' | 'consumer', string[]>;

  const call = async (path: string, site = SITE, init: RequestInit = {}) => {
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: { Authorization: await bearer(site), 'Content-Type': 'application/json', ...init.headers },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & unknown[] };
  };
  const create = async (site: string, body: object): Promise<number> => {
    const { status, body: record } = await call(`/api/account/${site}/personal-data-deletion`, site, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(status).toBe(201);
    return record.request_id as number;
  };
  const path = (id: number, rest = '', site = SITE) => `/api/account/${site}/personal-data-deletion/${id}${rest}`;
  const cliJson = async (args: string[]) => {
    const result = await runCliResult(config, args);
    return { ...result, json: result.stdout ? JSON.parse(result.stdout) : undefined };
  };

  beforeAll(async () => {
    config = suiteConfig('proof', { RECONCILE_INTERVAL_MS: '1000', PURGE_BACKOFF_MS: '200', PURGE_CHUNK_SIZE: '2' });
    await freshEnvironment(config);
    for (const site of [SITE, OTHER]) await createAccount(config, site, { windowSeconds: 0 });
    await createAccount(config, SLOW, { windowSeconds: 3600 });
    seeded = await seedStores(config, SITE, ['--engagements', '3', '--consumers', '3']);
    db = databasePool(config);
    ({ api, base } = await startApi('proof-api', config));
    worker = startApp('worker', 'proof-worker', config);
    await waitUntilReady(base);
    done.engagement = await create(SITE, { engagement: [...seeded.engagement.slice(0, 3), `${SITE}1`] });
    done.consumer = await create(SITE, { consumer: seeded.consumer.slice(0, 2) });
    for (const id of Object.values(done)) await waitForStatus(db, id, ['DONE']);
  });

  afterAll(async () => {
    await Promise.all([stopApp(api), stopApp(worker)]);
    await db?.end();
  });

  it('shows what was read back after the erase in each store of the detail', async () => {
    for (const id of Object.values(done)) {
      const { body } = await call(path(id));
      const [store] = body.stores as Record<string, unknown>[];
      expect(store).toMatchObject({ status: 'done', last_error: null });
      expect(store.verified_rows).toBeGreaterThan(0);
      expect(Date.parse(store.verified_at as string)).toBeGreaterThan(0);
    }
    // 3 engagements: each its engagement row plus transcript, survey and file rows
    const { body } = await call(path(done.engagement));
    expect((body.stores as { verified_rows: number }[])[0].verified_rows).toBeGreaterThan(3);
  });

  it('lists the request’s audit events, created to done, as one valid hash chain', async () => {
    const { status, body } = await call(path(done.engagement, '/events'));
    expect(status).toBe(200);
    const events = body as unknown as AuditEvent[];
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('created');
    expect(types).toEqual(expect.arrayContaining(['started', 'store_done', 'done']));
    expect(types.indexOf('store_done')).toBeLessThan(types.indexOf('done'));
    expect(events[0]).toMatchObject({ actor: 'Mike', prev_hash: GENESIS });
    expect(events.find((event) => event.type === 'done')!.actor).toBe('system:worker');
    let prev = GENESIS;
    for (const [index, event] of events.entries()) {
      expect(event.seq).toBe(index + 1);
      expect(event.prev_hash).toBe(prev);
      expect(
        createHash('sha256')
          .update(event.prev_hash + event.payload)
          .digest('hex'),
      ).toBe(event.hash);
      prev = event.hash;
    }
    expect(JSON.stringify(events)).not.toContain(seeded.engagement[0]);
    expect((await call(path(done.engagement, '/events', OTHER), OTHER)).status).toBe(404);
  });

  it('signs a receipt an independent ES256 implementation verifies against the published JWKS', async () => {
    const before = (await call(path(done.consumer, '/events'))).body as unknown as AuditEvent[];
    const { status, body } = await call(path(done.consumer, '/receipt'));
    expect(status).toBe(200);
    const jws = body.jws as string;
    const jwksResponse = await fetch(`${base}/.well-known/jwks.json`);
    expect(jwksResponse.status).toBe(200);
    const jwks = (await jwksResponse.json()) as { keys: (JsonWebKey & { kid: string })[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);

    const [header, payload, signature] = jws.split('.') as [string, string, string];
    const protectedHeader = JSON.parse(Buffer.from(header, 'base64url').toString());
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: expect.any(String) });
    const jwk = jwks.keys.find((key) => key.kid === protectedHeader.kid)!;
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    const valid = (text: string) =>
      verify(
        'sha256',
        Buffer.from(text.split('.').slice(0, 2).join('.')),
        { key, dsaEncoding: 'ieee-p1363' },
        Buffer.from(text.split('.')[2], 'base64url'),
      );
    expect(valid(jws)).toBe(true);
    const flipped = payload.slice(0, 10) + (payload[10] === 'A' ? 'B' : 'A') + payload.slice(11);
    expect(valid(`${header}.${flipped}.${signature}`)).toBe(false);

    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const detail = (await call(path(done.consumer))).body;
    const store = (detail.stores as Record<string, unknown>[])[0];
    expect(claims).toMatchObject({
      request_id: done.consumer,
      siteid: SITE,
      deletion_type: 'consumer',
      subject_ids: seeded.consumer.slice(0, 2),
      requested_by: 'Mike',
      completed_at: detail.completed_at,
      mask: '** LP deleted data **',
      audit_head: before[before.length - 1].hash,
      stores: [
        {
          store: 'consumer',
          matched: store.matched,
          erased: store.erased,
          not_found: store.not_found,
          verified_rows: store.verified_rows,
          verified_at: store.verified_at,
        },
      ],
    });
    expect(typeof claims.iat).toBe('number');
    expect(typeof claims.iss).toBe('string');
    const after = (await call(path(done.consumer, '/events'))).body as unknown as AuditEvent[];
    expect(after[after.length - 1]).toMatchObject({ type: 'receipt_issued', prev_hash: claims.audit_head });
    // Asking again while nothing happened gives the same statement and writes no second event: a reader cannot grow
    // the trail.
    const again = await call(path(done.consumer, '/receipt'));
    const reissued = JSON.parse(Buffer.from(String(again.body.jws).split('.')[1], 'base64url').toString());
    expect(reissued.audit_head).toBe(claims.audit_head);
    expect(((await call(path(done.consumer, '/events'))).body as unknown as AuditEvent[]).length).toBe(after.length);

    // The CLI checks a saved receipt against a JWKS file, and refuses one altered by one byte.
    writeFileSync(join(files, 'jwks.json'), JSON.stringify(jwks));
    writeFileSync(join(files, 'receipt.json'), JSON.stringify({ jws }));
    writeFileSync(join(files, 'altered.jws'), `${header}.${flipped}.${signature}`);
    const good = await cliJson(['receipts', 'verify', join(files, 'receipt.json'), '--jwks', join(files, 'jwks.json')]);
    expect(good.code).toBe(0);
    expect(good.json).toMatchObject({ valid: true, claims: { request_id: done.consumer } });
    const bad = await cliJson([
      'receipts',
      'verify',
      join(files, 'altered.jws'),
      '--jwks',
      `${base}/.well-known/jwks.json`,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.json).toMatchObject({ valid: false });
  });

  it('answers 409 for a receipt before DONE and 404 for another account’s request', async () => {
    const pending = await create(SLOW, { engagement: [`${SLOW}1`] });
    const early = await call(path(pending, '/receipt', SLOW), SLOW);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    const foreign = await call(path(done.consumer, '/receipt', OTHER), OTHER);
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body)).not.toContain('consumer');
  });

  it('re-reads a finished request’s stores on demand and names the store where personal data came back', async () => {
    const clean = await cliJson(['requests', 'verify', '--request-id', String(done.engagement)]);
    expect(clean.code).toBe(0);
    expect(clean.json.stores).toEqual([
      expect.objectContaining({ store: 'chat', rows_checked: expect.any(Number), violations: 0 }),
    ]);
    expect(clean.json.stores[0].rows_checked).toBeGreaterThan(3);

    // A store restored from a backup: one transcript line and one profile email hold personal data again.
    await db.query(
      `UPDATE chat.transcript_lines SET text = 'restored from backup' WHERE id = (
         SELECT min(id) FROM chat.transcript_lines WHERE engagement_id = $1)`,
      [seeded.engagement[1]],
    );
    await db.query(`UPDATE consumer.consumer_profiles SET email = 'back@example.com' WHERE consumer_id = $1`, [
      seeded.consumer[0],
    ]);
    const chat = await cliJson(['requests', 'verify', '--request-id', String(done.engagement)]);
    expect(chat.code).toBe(1);
    expect(chat.json.stores[0]).toMatchObject({ store: 'chat', violations: 1 });
    expect(chat.json.stores[0].tables).toEqual(
      expect.arrayContaining([{ table: 'chat.transcript_lines', rows_checked: expect.any(Number), violations: 1 }]),
    );
    expect(chat.stdout).not.toContain('restored from backup');
    const consumer = await cliJson(['requests', 'verify', '--request-id', String(done.consumer)]);
    expect(consumer.code).toBe(1);
    expect(consumer.json.stores[0]).toMatchObject({ store: 'consumer', violations: 1 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the audit trail; audit verify names a row altered behind its back', async () => {
    const intact = await cliJson(['audit', 'verify']);
    expect(intact.code).toBe(0);
    expect(intact.json).toMatchObject({ intact: true });
    expect(intact.json.events).toBeGreaterThan(8);

    for (const statement of [
      `UPDATE audit_events SET actor = 'mallory' WHERE request_id = ${done.engagement}`,
      `DELETE FROM audit_events WHERE request_id = ${done.engagement}`,
      `TRUNCATE audit_events`,
    ]) {
      await expect(db.query(statement)).rejects.toThrow(/append-only/);
    }

    const client = await db.connect();
    try {
      await client.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
      await client.query(`UPDATE audit_events SET actor = 'mallory' WHERE request_id = $1 AND seq = 2`, [
        done.engagement,
      ]);
      await client.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
    } finally {
      client.release();
    }
    const broken = await cliJson(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.json).toMatchObject({ intact: false, broken: { request_id: done.engagement, seq: 2 } });
    const otherSite = await cliJson(['audit', 'verify', '--site-id', SLOW]);
    expect(otherSite).toMatchObject({ code: 0, json: { intact: true, requests: 1 } });
  });
});
