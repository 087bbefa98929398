import { createHash } from 'node:crypto';
import { chainHash, eventPayload, GENESIS_HASH, seal, verifyChain, type SealedAuditEvent } from './hash-chain.js';

const at = new Date('2025-01-02T03:04:05.678Z');

function chain(types: string[]): SealedAuditEvent[] {
  const events: SealedAuditEvent[] = [];
  for (const [index, type] of types.entries()) {
    const prev = events[index - 1]?.hash ?? GENESIS_HASH;
    events.push(seal(prev, { requestId: '42', seq: index + 1, type, at, actor: 'Mike', details: { n: index } }));
  }
  return events;
}

describe('the audit hash chain', () => {
  it('hashes SHA-256 hex over the previous hash then the canonical payload', () => {
    const [first] = chain(['created']);
    expect(first.payload).toBe(
      '{"actor":"Mike","at":"2025-01-02T03:04:05.678Z","details":{"n":0},"request_id":"42","seq":1,"type":"created"}',
    );
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(first.hash).toBe(
      createHash('sha256')
        .update(GENESIS_HASH + first.payload)
        .digest('hex'),
    );
    expect(chainHash(GENESIS_HASH, first.payload)).toBe(first.hash);
  });

  it('finds an intact chain intact and links each event to the one before', () => {
    const events = chain(['created', 'started', 'store_done', 'done']);
    expect(verifyChain(events)).toBeUndefined();
    expect(events[2].prevHash).toBe(events[1].hash);
  });

  it('names the first broken link: an edited payload, an edited column, a gap, a relinked event', () => {
    const edited = chain(['created', 'started', 'done']);
    edited[1] = { ...edited[1], payload: edited[1].payload.replace('started', 'canceled') };
    expect(verifyChain(edited)).toEqual({
      requestId: '42',
      seq: 2,
      problem: expect.stringMatching(/hash .* does not match/),
    });

    const column = chain(['created', 'started', 'done']);
    column[2] = { ...column[2], actor: 'mallory' };
    expect(verifyChain(column)).toMatchObject({ seq: 3, problem: expect.stringMatching(/columns/) });

    const gap = chain(['created', 'started', 'done']);
    gap.splice(1, 1);
    expect(verifyChain(gap)).toMatchObject({ seq: 3, problem: 'seq 3 where 2 was expected' });

    // Rewriting an event and its own hash consistently still breaks the next event's link.
    const rewritten = chain(['created', 'started', 'done']);
    const forged = seal(rewritten[0].hash, { ...rewritten[1], details: { n: 99 } });
    rewritten[1] = forged;
    expect(verifyChain(rewritten)).toMatchObject({ seq: 3, problem: expect.stringMatching(/prev_hash/) });
  });

  it('builds the payload from the columns, so stored JSON key order does not matter', () => {
    const [event] = chain(['created']);
    expect(eventPayload({ ...event, details: JSON.parse('{"n":0}') })).toBe(event.payload);
  });
});
