import type { DeletionRequestEntity } from '#app/database';
import type { RequestStatus } from '#app/domain';

/**
 * A request as brand clients see it. The first eight keys are spelled as the platform's documented
 * example spells them and never change; the rest are ours.
 */
export interface DeletionRequestRecord {
  request_id: number;
  siteid: string;
  request_time: string;
  requested_by: string;
  cancelled_by: string | null;
  delete_json: string;
  cancel_timestamp: string | null;
  is_canceled: boolean;
  status: RequestStatus;
  final_at: string;
  completed_at: string | null;
}

export function toRecord(entity: DeletionRequestEntity): DeletionRequestRecord {
  return {
    request_id: Number(entity.id),
    siteid: entity.siteId,
    request_time: entity.requestTime.toISOString(),
    requested_by: entity.requestedBy,
    cancelled_by: entity.cancelledBy,
    delete_json: entity.deleteJson,
    cancel_timestamp: entity.cancelTimestamp?.toISOString() ?? null,
    is_canceled: entity.isCanceled,
    status: entity.status,
    final_at: entity.finalAt.toISOString(),
    completed_at: entity.completedAt?.toISOString() ?? null,
  };
}
