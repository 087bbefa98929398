import { TRANSITIONS } from '#app/lifecycle';
import type { AuditedRequest } from './audit-verification.repository.js';
import { verifyChain, type ChainBreak, type SealedAuditEvent } from './hash-chain.js';

/** The status each status-changing event leaves a request in, and the statuses it may leave from. */
const TRANSITION_OF: Record<string, { from: readonly string[]; to: string }> = {
  canceled: TRANSITIONS.cancel,
  started: TRANSITIONS.start,
  done: { from: TRANSITIONS.finish.from, to: TRANSITIONS.finish.done },
  failed: { from: TRANSITIONS.finish.from, to: TRANSITIONS.finish.failed },
  redrive: TRANSITIONS.redrive,
};

/** The event a trail must hold last (of the status-changing ones) for each status of the request row. */
const LAST_EVENT_OF: Record<string, string> = {
  NOT_STARTED: 'created',
  CANCELED: 'canceled',
  IN_PROGRESS: 'started or redrive',
  DONE: 'done',
  FAILED: 'failed',
};

/**
 * What `audit verify` finds wrong with one request's trail, given its row (docs/ARCHITECTURE.md, "Proof"):
 * undefined when the trail is intact and complete. Beyond the hash chain itself: events must exist and begin
 * with `created` (seq 1) agreeing with the row; status-changing events must follow the lifecycle's transitions
 * and end in the row's status (a deleted tail leaves it short); every receipt recorded in `issued_receipts`
 * and every replay that took the request on must have its event. `seq` names the event at fault, or for a
 * missing one the seq it would have had.
 */
export function trailProblem(request: AuditedRequest): ChainBreak | undefined {
  const { id: requestId, events } = request;
  const at = (seq: number, problem: string): ChainBreak => ({ requestId, seq, problem });
  if (events.length === 0) {
    return at(1, `no audit events: the request is ${request.status} but its whole trail (created first) is missing`);
  }
  const broken = verifyChain(events);
  if (broken) return broken;
  const created = createdProblem(request, events[0]);
  if (created) return at(1, created);
  const next = events.length + 1;

  let status = 'NOT_STARTED';
  let lastChange = events[0];
  for (const event of events.slice(1)) {
    const transition = TRANSITION_OF[event.type];
    if (event.type === 'created') return at(event.seq, 'a second created event');
    if (transition) {
      if (!transition.from.includes(status)) return at(event.seq, `${event.type} while the trail says ${status}`);
      status = transition.to;
      lastChange = event;
    } else if (event.type === 'receipt_issued') {
      if (status !== 'DONE') return at(event.seq, `receipt_issued while the trail says ${status}`);
      if (event.details.audit_head !== event.prevHash) {
        return at(event.seq, 'receipt_issued names an audit_head that is not the event before it');
      }
    }
  }
  if (status !== request.status) {
    const missing = LAST_EVENT_OF[request.status] ?? request.status;
    return at(
      next,
      `the request is ${request.status} but its trail ends in ${status} (seq ${lastChange.seq} ${lastChange.type}): ` +
        `its ${missing} event is missing`,
    );
  }
  for (const receipt of request.receipts) {
    const event = events[receipt.seq - 1];
    if (!event) {
      return at(receipt.seq, `a receipt was issued (issued_receipts) but its receipt_issued event is missing`);
    }
    if (event.type !== 'receipt_issued' || event.hash !== receipt.hash) {
      return at(receipt.seq, `a receipt was issued (issued_receipts) but this event is not its receipt_issued`);
    }
  }
  for (const replayId of request.replayIds) {
    const found = events.some((event) => event.type === 'replay_started' && sameId(event.details.replay_id, replayId));
    if (!found) return at(next, `store replay ${replayId} took the request on but its replay_started event is missing`);
  }
  return undefined;
}

function createdProblem(request: AuditedRequest, first: SealedAuditEvent): string | undefined {
  if (first.type !== 'created') return `the first event is ${first.type} where created was expected`;
  const { details } = first;
  if (details.deletion_type !== request.deletionType || details.ids !== request.ids) {
    return `created says ${String(details.ids)} ${String(details.deletion_type)} ids; the request has ${request.ids} ${request.deletionType}`;
  }
  if (first.actor !== request.requestedBy) return 'created names an actor other than the request’s requested_by';
  return undefined;
}

function sameId(value: unknown, id: string): boolean {
  return (typeof value === 'string' || typeof value === 'number') && String(value) === id;
}
