import { WEBHOOK_EVENT_TYPES } from '#app/webhooks';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString } from 'class-validator';

/** `POST /webhooks`. The URL and event types are checked by the service, whose 400s name the problem. */
export class CreateWebhookDto {
  @ApiProperty({ example: 'https://brand.example/hooks/deletions', maxLength: 2048 })
  @IsString({ message: 'url must be a string' })
  url!: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, description: 'Default: every event type.' })
  @IsOptional()
  @IsArray({ message: 'events must be an array of event types' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length * 2, { message: 'events lists too many event types' })
  @IsString({ each: true, message: 'events must be an array of event types' })
  events?: string[];
}
