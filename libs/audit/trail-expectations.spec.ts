import type { AuditedRequest } from './audit-verification.repository.js';
import { GENESIS_HASH, seal, type SealedAuditEvent } from './hash-chain.js';
import { trailProblem } from './trail-expectations.js';

const at = new Date('2025-01-02T03:04:05.678Z');
const CREATED = { deletion_type: 'engagement', ids: 2 };

function trail(types: string[], details: Record<string, Record<string, unknown>> = {}): SealedAuditEvent[] {
  const events: SealedAuditEvent[] = [];
  for (const [index, type] of types.entries()) {
    const prevHash = events[index - 1]?.hash ?? GENESIS_HASH;
    const own = type === 'created' ? CREATED : type === 'receipt_issued' ? { audit_head: prevHash } : {};
    const actor = type === 'created' ? 'Mike' : 'system:worker';
    events.push(
      seal(prevHash, { requestId: '7', seq: index + 1, type, at, actor, details: { ...own, ...details[type] } }),
    );
  }
  return events;
}

function request(status: string, events: SealedAuditEvent[], more: Partial<AuditedRequest> = {}): AuditedRequest {
  const base = { deletionType: 'engagement', ids: 2, requestedBy: 'Mike', receipts: [], replayIds: [] };
  return { id: '7', status, events, ...base, ...more };
}

const FULL = ['created', 'started', 'store_done', 'done', 'receipt_issued'];

describe('trailProblem: a trail checked against its request row', () => {
  it('finds a complete trail of each status intact', () => {
    expect(trailProblem(request('NOT_STARTED', trail(['created'])))).toBeUndefined();
    expect(trailProblem(request('CANCELED', trail(['created', 'canceled'])))).toBeUndefined();
    expect(trailProblem(request('IN_PROGRESS', trail(['created', 'started', 'store_deferred'])))).toBeUndefined();
    const redriven = ['created', 'started', 'store_failed', 'failed', 'redrive'];
    expect(trailProblem(request('IN_PROGRESS', trail(redriven)))).toBeUndefined();
    expect(trailProblem(request('FAILED', trail([...redriven, 'failed'])))).toBeUndefined();
    const events = trail(FULL);
    const receipts = [{ seq: 5, hash: events[4].hash }];
    expect(trailProblem(request('DONE', events, { receipts }))).toBeUndefined();
  });

  it('names a request whose whole trail was deleted', () => {
    expect(trailProblem(request('DONE', []))).toEqual({
      requestId: '7',
      seq: 1,
      problem: expect.stringMatching(/no audit events.*DONE.*whole trail/),
    });
  });

  it('names a deleted tail: a status with no event to match, seq where the event is missing', () => {
    for (const [status, types, missing] of [
      ['DONE', ['created', 'started', 'store_done'], /DONE but its trail ends in IN_PROGRESS .*done event is missing/],
      ['FAILED', ['created', 'started'], /failed event is missing/],
      ['CANCELED', ['created'], /canceled event is missing/],
      ['IN_PROGRESS', ['created'], /started or redrive event is missing/],
      ['IN_PROGRESS', ['created', 'started', 'failed'], /IN_PROGRESS but its trail ends in FAILED/],
    ] as const) {
      expect(trailProblem(request(status, trail([...types])))).toEqual({
        requestId: '7',
        seq: types.length + 1,
        problem: expect.stringMatching(missing),
      });
    }
  });

  it('names a recorded receipt whose receipt_issued event was deleted, or replaced', () => {
    const events = trail(FULL);
    const receipts = [{ seq: 5, hash: events[4].hash }];
    expect(trailProblem(request('DONE', events.slice(0, 4), { receipts }))).toMatchObject({
      seq: 5,
      problem: expect.stringMatching(/receipt_issued event is missing/),
    });
    const other = trail([...FULL.slice(0, 4), 'replay_started']);
    expect(trailProblem(request('DONE', other, { receipts }))).toMatchObject({ seq: 5, problem: /not its receipt/ });
  });

  it('names a replay with no replay_started event', () => {
    const events = trail([...FULL.slice(0, 4), 'replay_started'], { replay_started: { replay_id: '3' } });
    expect(trailProblem(request('DONE', events, { replayIds: ['3'] }))).toBeUndefined();
    expect(trailProblem(request('DONE', events, { replayIds: ['3', '4'] }))).toMatchObject({
      seq: 6,
      problem: expect.stringMatching(/replay 4 .*replay_started event is missing/),
    });
  });

  it('names a trail that does not begin with a created event agreeing with the row', () => {
    const started = trail(['started', 'done']);
    expect(trailProblem(request('DONE', started))).toMatchObject({ seq: 1, problem: /first event is started/ });
    expect(trailProblem(request('NOT_STARTED', trail(['created']), { ids: 3 }))).toMatchObject({
      seq: 1,
      problem: expect.stringMatching(/created says 2 engagement ids; the request has 3/),
    });
    expect(trailProblem(request('NOT_STARTED', trail(['created']), { requestedBy: 'Eve' }))).toMatchObject({
      seq: 1,
      problem: /actor/,
    });
  });

  it('names events out of the lifecycle’s order, and a broken hash chain first', () => {
    expect(trailProblem(request('DONE', trail(['created', 'done'])))).toMatchObject({
      seq: 2,
      problem: 'done while the trail says NOT_STARTED',
    });
    expect(trailProblem(request('DONE', trail(['created', 'started', 'receipt_issued', 'done'])))).toMatchObject({
      seq: 3,
      problem: 'receipt_issued while the trail says IN_PROGRESS',
    });
    const edited = trail(FULL.slice(0, 4));
    edited[2] = { ...edited[2], actor: 'mallory' };
    expect(trailProblem(request('DONE', edited))).toMatchObject({ seq: 3, problem: /columns/ });
  });
});
