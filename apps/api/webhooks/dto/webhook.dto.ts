import type { DeliveryView, WebhookView } from '#app/webhooks';
import { ApiProperty } from '@nestjs/swagger';

export class WebhookRecord implements WebhookView {
  @ApiProperty({ example: '12' })
  id!: string;

  @ApiProperty({ example: 'https://brand.example/hooks/deletions' })
  url!: string;

  @ApiProperty({ example: ['deletion_request.done', 'deletion_request.failed'] })
  events!: string[];

  @ApiProperty({ description: 'False once the endpoint failed continuously for WEBHOOK_DISABLE_AFTER_HOURS.' })
  enabled!: boolean;

  @ApiProperty({ nullable: true, type: String })
  disabled_reason!: string | null;

  @ApiProperty({ nullable: true, type: String })
  disabled_at!: string | null;

  @ApiProperty({ example: '2026-01-04T14:07:32.000Z' })
  created_at!: string;
}

/** The answer to a create: the one time the signing secret is shown. */
export class CreatedWebhookRecord extends WebhookRecord {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Shown this once.' })
  secret!: string;
}

export class DeliveryRecord implements DeliveryView {
  @ApiProperty({ example: '301' })
  id!: string;

  @ApiProperty({ example: 'evt_88', description: 'The webhook-id header of every attempt.' })
  event_id!: string;

  @ApiProperty({ example: 'deletion_request.done' })
  event_type!: string;

  @ApiProperty({ example: 127223 })
  request_id!: number;

  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] })
  status!: 'pending' | 'delivered' | 'failed';

  @ApiProperty({ example: 1, description: 'Attempts made so far.' })
  attempt!: number;

  @ApiProperty({ nullable: true, type: Number, example: 200 })
  status_code!: number | null;

  @ApiProperty({ nullable: true, type: String })
  error!: string | null;

  @ApiProperty({ nullable: true, type: Number, example: 42 })
  duration_ms!: number | null;

  @ApiProperty()
  created_at!: string;

  @ApiProperty({ nullable: true, type: String })
  last_attempt_at!: string | null;

  @ApiProperty({ nullable: true, type: String })
  next_attempt_at!: string | null;

  @ApiProperty({ nullable: true, type: String })
  delivered_at!: string | null;
}
