import { DeletionType } from '#app/domain';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import { ExactlyOneDeletionType, presentDeletionTypes } from '../validators/exactly-one-deletion-type.validator.js';
import { IsIdList } from '../validators/is-id-list.validator.js';

const given = (key: DeletionType) => (dto: CreateDeletionRequestDto) => dto[key] !== undefined;

/** The create body: exactly one key, holding 1..100 unique non-blank ids (docs/ARCHITECTURE.md, "Create body"). */
@ExactlyOneDeletionType()
export class CreateDeletionRequestDto {
  /** Chat engagements: each id is the site id followed by the chat id. */
  @ApiPropertyOptional({
    type: [String],
    minItems: 1,
    maxItems: 100,
    uniqueItems: true,
    example: ['207623244295067780'],
    description: 'Chat engagements: the site id followed by the chat id.',
  })
  @ValidateIf(given(DeletionType.Engagement))
  @IsIdList()
  engagement?: string[];

  /** Messaging conversations. */
  @ApiPropertyOptional({
    type: [String],
    minItems: 1,
    maxItems: 100,
    uniqueItems: true,
    description: 'Messaging conversation ids.',
  })
  @ValidateIf(given(DeletionType.Conversation))
  @IsIdList()
  conversation?: string[];

  /** Consumers (the messaging participantId): their profile and PII only. */
  @ApiPropertyOptional({
    type: [String],
    minItems: 1,
    maxItems: 100,
    uniqueItems: true,
    description: 'Consumer ids (the messaging participantId): the profile and PII only.',
  })
  @ValidateIf(given(DeletionType.Consumer))
  @IsIdList()
  consumer?: string[];

  /** Tickets of legacy-ticketing accounts, without the LTK prefix and X suffix. */
  @ApiPropertyOptional({
    type: [String],
    minItems: 1,
    maxItems: 100,
    uniqueItems: true,
    description: 'Legacy-ticketing accounts only; ids without the LTK prefix and X suffix.',
  })
  @ValidateIf(given(DeletionType.Ticketing))
  @IsIdList()
  ticketing?: string[];

  /** The one deletion type and its ids; call only after validation. */
  static selection(dto: CreateDeletionRequestDto): { type: DeletionType; ids: string[] } {
    const type = presentDeletionTypes(dto)[0] as DeletionType;
    return { type, ids: dto[type]! };
  }
}
