import { ApiProperty } from '@nestjs/swagger';

/** One audit event as the events endpoint lists it. */
export class AuditEventRecord {
  @ApiProperty({ example: 1, description: 'Position in the request’s chain, from 1.' })
  seq!: number;

  @ApiProperty({ example: 'created' })
  type!: string;

  @ApiProperty({ example: '2018-01-04T14:07:32.000Z' })
  at!: string;

  @ApiProperty({ example: 'Mike', description: 'A user or API key name, or system:<process>.' })
  actor!: string;

  @ApiProperty({ example: { deletion_type: 'engagement', ids: 1 }, description: 'Counts and names only.' })
  details!: Record<string, unknown>;

  @ApiProperty({ description: 'The exact canonical JSON that was hashed.' })
  payload!: string;

  @ApiProperty({ example: '0'.repeat(64), description: 'The previous event’s hash; 64 zeros for seq 1.' })
  prev_hash!: string;

  @ApiProperty({ description: 'SHA-256 hex of prev_hash followed by payload.' })
  hash!: string;
}

export class ReceiptRecord {
  @ApiProperty({ description: 'The receipt: a compact JWS (ES256, kid in its header).' })
  jws!: string;
}
