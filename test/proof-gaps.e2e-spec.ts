import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import type pg from 'pg';
import { createAccount, seedStores } from './support/cli-fixtures.js';
import { OpsApps, waitUntilReady } from './support/ops-apps.js';
import { oauthHeader, type ApiKeyCredentials } from './support/oauth-signer.js';
import { freePort } from './support/ports.js';
import { runCli, runCliResult, startApp, stopApp } from './support/processes.js';
import { receiptKeyPair } from './support/receipt-keys.js';
import { waitForStatus } from './support/requests.js';
import { suiteConfig } from './support/test-environment.js';
import { bearer } from './support/tokens.js';
import { readFileSync } from 'node:fs';

const SITE = 'gaps_site';
const SLOW = 'gaps_slow';
const REFUSED = 'must not start with "system:": that prefix names the service\'s own processes in the audit trail';

/** An attacker's review of the proof of erasure (docs/ARCHITECTURE.md, "Proof"), each finding attacked again. */
describe('proof of erasure, attacked: deleted trails, system actors, receipt keys', () => {
  const apps = new OpsApps(
    suiteConfig('proof-gaps', { RECONCILE_INTERVAL_MS: '1000', PURGE_BACKOFF_MS: '200' }),
    SITE,
    'proof-gaps',
  );
  const { config } = apps;
  let db: pg.Pool;
  let base: string;
  const ids = { whole: 0, tail: 0, receipt: 0, fresh: 0, pending: 0, orphan: 0 };

  const call = async (path: string, authorization: string, init: RequestInit = {}, at = base) => {
    const response = await fetch(`${at}${path}`, {
      ...init,
      headers: { Authorization: authorization, 'Content-Type': 'application/json', ...init.headers },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const create = async (site: string, body: object): Promise<number> => {
    const init = { method: 'POST', body: JSON.stringify(body) };
    const { status, body: record } = await call(
      `/api/account/${site}/personal-data-deletion`,
      await bearer(site),
      init,
    );
    expect(status).toBe(201);
    return record.request_id as number;
  };
  const cliJson = async (args: string[]) => {
    const result = await runCliResult(config, args);
    return { ...result, json: result.stdout.trim().startsWith('{') ? JSON.parse(result.stdout) : undefined };
  };
  /** Runs statements as someone who can switch the append-only triggers (and foreign keys) off. */
  const behindTheTriggers = async (statements: string[]) => {
    const client = await db.connect();
    try {
      await client.query(`SET session_replication_role = replica`);
      for (const statement of statements) await client.query(statement);
    } finally {
      await client.query(`SET session_replication_role = origin`);
      client.release();
    }
  };

  beforeAll(async () => {
    await apps.start(); // SITE with a zero cancellation window
    ({ db, apiBase: base } = apps);
    await createAccount(config, SLOW, { windowSeconds: 3600 });
    const seeded = await seedStores(config, SITE, ['--engagements', '4', '--consumers', '1']);
    ids.whole = await create(SITE, { engagement: [seeded.engagement[0]] });
    ids.tail = await create(SITE, { engagement: [seeded.engagement[1]] });
    ids.receipt = await create(SITE, { consumer: [seeded.consumer[0]] });
    ids.fresh = await create(SITE, { engagement: [seeded.engagement[2]] });
    ids.pending = await create(SLOW, { engagement: [`${SLOW}1`] });
    ids.orphan = await create(SLOW, { engagement: [`${SLOW}2`] });
    for (const id of [ids.whole, ids.tail, ids.receipt, ids.fresh]) await waitForStatus(db, id, ['DONE']);
    const receipt = await call(
      `/api/account/${SITE}/personal-data-deletion/${ids.receipt}/receipt`,
      await bearer(SITE),
    );
    expect(receipt.status).toBe(200);
  });

  afterAll(async () => {
    await apps.stop();
  });

  it('audit verify names a trail deleted whole, a deleted tail, a deleted receipt event and events left without their request', async () => {
    const intact = await cliJson(['audit', 'verify']);
    expect(intact).toMatchObject({ code: 0, json: { intact: true, requests: 6 } });

    const last = `(SELECT max(seq) FROM audit_events WHERE request_id = $id)`;
    await behindTheTriggers([
      `DELETE FROM audit_events WHERE request_id = ${ids.whole}`,
      `DELETE FROM audit_events WHERE request_id = ${ids.tail} AND seq = ${last.replace('$id', String(ids.tail))}`,
      `DELETE FROM audit_events WHERE request_id = ${ids.receipt} AND type = 'receipt_issued'`,
      `DELETE FROM deletion_requests WHERE id = ${ids.orphan}`,
    ]);
    const broken = await cliJson(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.json).toMatchObject({ intact: false, broken_requests: 4, broken: { request_id: ids.whole, seq: 1 } });
    expect(broken.json.problems).toEqual([
      { request_id: ids.whole, seq: 1, problem: expect.stringMatching(/no audit events: the request is DONE/) },
      { request_id: ids.tail, seq: expect.any(Number), problem: expect.stringMatching(/DONE .*done event is missing/) },
      {
        request_id: ids.receipt,
        seq: expect.any(Number),
        problem: expect.stringMatching(/receipt_issued event is missing/),
      },
      { request_id: ids.orphan, seq: 1, problem: expect.stringMatching(/request that does not exist/) },
    ]);

    // The account filter keeps to the account's requests: SITE has three broken, SLOW's remaining one is intact.
    const site = await cliJson(['audit', 'verify', '--site-id', SITE]);
    expect(site).toMatchObject({ code: 1, json: { requests: 4, broken_requests: 3 } });
    expect(await cliJson(['audit', 'verify', '--site-id', SLOW])).toMatchObject({
      code: 0,
      json: { intact: true, requests: 1 },
    });
  });

  it('refuses bearer tokens whose subject is a system: actor with 401, and the CLI refuses to mint them', async () => {
    for (const user of ['system:worker', 'System:CLI', 'system\uff1aworker']) {
      const list = await call(`/api/account/${SITE}/personal-data-deletion`, await bearer(SITE, { user }));
      expect(list.status).toBe(401);
      expect(list.body.message).toBe(`bearer token claim sub ${REFUSED}`);
      const init = { method: 'POST', body: JSON.stringify({ engagement: [`${SITE}x`] }) };
      expect(
        (await call(`/api/account/${SITE}/personal-data-deletion`, await bearer(SITE, { user }), init)).status,
      ).toBe(401);
    }
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE actor ILIKE '%system%' AND type = 'created'`,
    );
    expect(rows[0].n).toBe(0);
    const mint = await runCliResult(config, ['tokens', 'mint', '--site-id', SITE, '--user', 'system:worker']);
    expect(mint.code).not.toBe(0);
    expect(mint.stderr).toContain(`--user ${REFUSED}`);
  });

  it('refuses to create an API key named system:..., and refuses one named so before with 401', async () => {
    const named = await runCliResult(config, ['api-keys', 'create', '--site-id', SITE, '--name', 'SYSTEM:worker']);
    expect(named.code).not.toBe(0);
    expect(named.stderr).toContain(`--name ${REFUSED}`);
    expect((await db.query(`SELECT 1 FROM api_keys WHERE name ILIKE '%system%'`)).rowCount).toBe(0);

    const key = JSON.parse(
      await runCli(config, ['api-keys', 'create', '--site-id', SITE, '--name', 'crm']),
    ) as ApiKeyCredentials;
    const quota = `/api/account/${SITE}/personal-data-deletion/quota`;
    const get = () => call(quota, oauthHeader(key, { url: `${base}${quota}`, method: 'GET' }));
    expect((await get()).status).toBe(200);
    await db.query(`UPDATE api_keys SET name = 'system:worker' WHERE consumer_key = $1`, [key.consumer_key]);
    const refused = await get();
    expect(refused).toMatchObject({ status: 401, body: { message: `the API key name ${REFUSED}` } });
  });

  it('refuses the development receipt key off loopback; signs with the first key and publishes retired public keys', async () => {
    const port = String(await freePort());
    const open = startApp('api', 'proof-gaps-api-open', config, { HOST: '0.0.0.0', PORT: port });
    expect(await open.exited).toBe(1);
    expect(readFileSync(open.logFile, 'utf8')).toContain(
      'RECEIPT_SIGNING_KEYS: the development key is accepted only while the API listens on loopback (HOST is 0.0.0.0)',
    );

    const current = receiptKeyPair('2025-current');
    const retired = receiptKeyPair('2024-retired');
    const keys = JSON.stringify([current.privateJwk, retired.publicJwk]);
    const rotated = startApp('api', 'proof-gaps-api-rotated', config, {
      HOST: '0.0.0.0',
      PORT: port,
      RECEIPT_SIGNING_KEYS: keys,
    });
    try {
      const at = `http://127.0.0.1:${port}`;
      await waitUntilReady(at);
      const jwks = (await (await fetch(`${at}/.well-known/jwks.json`)).json()) as {
        keys: (JsonWebKey & { kid: string })[];
      };
      expect(jwks.keys.map((key) => key.kid)).toEqual(['2025-current', '2024-retired']);
      expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
      const path = `/api/account/${SITE}/personal-data-deletion/${ids.fresh}/receipt`;
      const { status, body } = await call(path, await bearer(SITE), {}, at);
      expect(status).toBe(200);
      const [header, payload, signature] = String(body.jws).split('.') as [string, string, string];
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ kid: '2025-current' });
      const key = createPublicKey({ key: jwks.keys[0], format: 'jwk' });
      const signed = Buffer.from(`${header}.${payload}`);
      const valid = verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
      expect(valid).toBe(true);
    } finally {
      await stopApp(rotated);
    }
    // The receipt is recorded with its event: the trail with it still verifies.
    const { rows } = await db.query(`SELECT kid FROM issued_receipts WHERE request_id = $1`, [ids.fresh]);
    expect(rows).toEqual([{ kid: '2025-current' }]);
  });
});
