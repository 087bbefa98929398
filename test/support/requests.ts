import type pg from 'pg';
import { call } from './http.js';
import { bearer } from './tokens.js';
import { waitFor } from './wait.js';

/** Creates a deletion request for `site` through the API at `base` and expects 201; the request's id. */
export async function createRequest(
  base: string,
  site: string,
  body: object,
  headers: Record<string, string> = {},
): Promise<number> {
  const answer = await call(`${base}/api/account/${site}/personal-data-deletion`, {
    method: 'POST',
    headers: { Authorization: await bearer(site), ...headers },
    json: body,
  });
  expect(answer.status).toBe(201);
  return answer.body.request_id as number;
}

export interface RequestRow {
  id: string;
  status: string;
  run: number;
}

/** Waits until the request reaches one of `statuses`; returns its row. */
export function waitForStatus(
  db: pg.Pool,
  requestId: number | string,
  statuses: string[],
  timeoutMs = 60_000,
): Promise<RequestRow> {
  return waitFor(
    `request ${requestId} to reach ${statuses.join(' or ')}`,
    async () => {
      const { rows } = await db.query('SELECT id, status, run FROM deletion_requests WHERE id = $1', [requestId]);
      return statuses.includes(rows[0]?.status) ? (rows[0] as RequestRow) : undefined;
    },
    timeoutMs,
    200,
  );
}

export async function storeProgress(db: pg.Pool, requestId: number | string) {
  const { rows } = await db.query(
    `SELECT store, status, matched, erased, not_found, deferred, attempts, last_error
     FROM deletion_request_stores WHERE request_id = $1 ORDER BY store`,
    [requestId],
  );
  return rows;
}
