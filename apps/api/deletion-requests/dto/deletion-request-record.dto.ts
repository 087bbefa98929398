import { RequestStatus, StoreName } from '#app/domain';
import { ApiProperty } from '@nestjs/swagger';

/**
 * A request as brand clients see it. The first eight keys are spelled as the platform's documented example
 * spells them and never change; the rest are ours.
 */
export class DeletionRequestRecord {
  @ApiProperty({ example: 127223, description: 'The request id (a JSON number).' })
  request_id!: number;

  @ApiProperty({ example: '20762324', description: 'The account (site) id.' })
  siteid!: string;

  @ApiProperty({ example: '2018-01-04T14:07:32.000Z', description: 'When it was recorded (ISO-8601, UTC).' })
  request_time!: string;

  @ApiProperty({ example: 'Mike', description: 'The user (token subject) or API key name that asked.' })
  requested_by!: string;

  @ApiProperty({ example: null, nullable: true, type: String })
  cancelled_by!: string | null;

  @ApiProperty({
    example: '{"engagement":["207623244295067780"]}',
    description: 'The accepted body, as a JSON string.',
  })
  delete_json!: string;

  @ApiProperty({ example: null, nullable: true, type: String })
  cancel_timestamp!: string | null;

  @ApiProperty({ example: false })
  is_canceled!: boolean;

  @ApiProperty({ enum: RequestStatus, example: RequestStatus.NotStarted })
  status!: RequestStatus;

  @ApiProperty({
    example: '2018-01-09T14:07:32.000Z',
    description: 'End of the cancellation window; erasure starts then.',
  })
  final_at!: string;

  @ApiProperty({ example: null, nullable: true, type: String, description: 'When every store was done.' })
  completed_at!: string | null;
}

/** A request's progress in one store. */
export class StoreProgressRecord {
  @ApiProperty({ enum: StoreName, example: StoreName.Chat })
  store!: StoreName;

  @ApiProperty({ enum: ['pending', 'processing', 'done', 'failed'], example: 'done' })
  status!: string;

  @ApiProperty({ example: 1, description: 'Ids found in the store.' })
  matched!: number;

  @ApiProperty({ example: 1, description: 'Ids whose personal data was erased.' })
  erased!: number;

  @ApiProperty({ example: 0, description: 'Ids the store does not know (not an error).' })
  not_found!: number;

  @ApiProperty({ example: 0, description: 'Ids still open (chats, conversations): retried until they close.' })
  deferred!: number;

  @ApiProperty({ example: 1 })
  attempts!: number;

  @ApiProperty({ example: null, nullable: true, type: String })
  last_error!: string | null;

  @ApiProperty({ example: '2018-01-09T14:07:33.000Z', nullable: true, type: String })
  started_at!: string | null;

  @ApiProperty({ example: '2018-01-09T14:07:34.000Z', nullable: true, type: String })
  finished_at!: string | null;

  @ApiProperty({ example: 12, description: 'Rows read back after the erase, every personal column clean.' })
  verified_rows!: number;

  @ApiProperty({ example: '2018-01-09T14:07:34.000Z', nullable: true, type: String })
  verified_at!: string | null;
}

/** A store replay (re-erasure after the store was restored from a backup) that took this request on. */
export class ReplayRecord {
  @ApiProperty({ example: 3, description: 'The replay id (`stores replay-status --replay-id`).' })
  replay_id!: number;

  @ApiProperty({ enum: StoreName, example: StoreName.Chat })
  store!: StoreName;

  @ApiProperty({ enum: ['running', 'done', 'failed'], example: 'done', description: "This request's part of it." })
  status!: string;

  @ApiProperty({ example: '2026-12-01T09:00:00.000Z' })
  started_at!: string;

  @ApiProperty({ example: '2026-12-01T09:00:01.000Z', nullable: true, type: String })
  finished_at!: string | null;

  @ApiProperty({ example: 1, description: 'Ids found in the restored store.' })
  matched!: number;

  @ApiProperty({ example: 1, description: 'Ids whose personal data the restore had brought back, erased again.' })
  erased!: number;

  @ApiProperty({ example: 0 })
  not_found!: number;

  @ApiProperty({ example: 0, description: 'Rows read back and verified after the re-erasure.' })
  verified_rows!: number;
}

/** One request with its per-store progress and the store replays that re-erased it. */
export class DeletionRequestDetail extends DeletionRequestRecord {
  @ApiProperty({ type: [StoreProgressRecord] })
  stores!: StoreProgressRecord[];

  @ApiProperty({ type: [ReplayRecord], description: 'Store replays, oldest first; the request stays DONE.' })
  replays!: ReplayRecord[];
}

// Shared with the webhook bodies, which carry the same record.
export { toDetail, toRecord } from '#app/database';
