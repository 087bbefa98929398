import { DeletionType, MAX_IDS_PER_REQUEST } from '#app/domain';
import { ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import { ExactlyOneDeletionType, presentDeletionTypes } from '../validators/exactly-one-deletion-type.validator.js';
import { IsIdList } from '../validators/is-id-list.validator.js';

const given = (key: DeletionType) => (dto: CreateDeletionRequestDto) => dto[key] !== undefined;

/** The OpenAPI shape of every id list, as `IsIdList` checks it. */
const idList = (extra: ApiPropertyOptions): ApiPropertyOptions => ({
  type: [String],
  minItems: 1,
  maxItems: MAX_IDS_PER_REQUEST,
  uniqueItems: true,
  ...extra,
});

/** The create body: exactly one key, holding 1..100 unique non-blank ids (docs/ARCHITECTURE.md, "Create body"). */
@ExactlyOneDeletionType()
export class CreateDeletionRequestDto {
  /** Chat engagements: each id is the site id followed by the chat id. */
  @ApiPropertyOptional(
    idList({
      example: ['207623244295067780'],
      description: 'Chat engagements: the site id followed by the chat id.',
    }),
  )
  @ValidateIf(given(DeletionType.Engagement))
  @IsIdList()
  engagement?: string[];

  /** Messaging conversations. */
  @ApiPropertyOptional(
    idList({
      description: 'Messaging conversation ids.',
    }),
  )
  @ValidateIf(given(DeletionType.Conversation))
  @IsIdList()
  conversation?: string[];

  /** Consumers (the messaging participantId): their profile and PII only. */
  @ApiPropertyOptional(
    idList({
      description: 'Consumer ids (the messaging participantId): the profile and PII only.',
    }),
  )
  @ValidateIf(given(DeletionType.Consumer))
  @IsIdList()
  consumer?: string[];

  /** Tickets of legacy-ticketing accounts, without the LTK prefix and X suffix. */
  @ApiPropertyOptional(
    idList({
      description: 'Legacy-ticketing accounts only; ids without the LTK prefix and X suffix.',
    }),
  )
  @ValidateIf(given(DeletionType.Ticketing))
  @IsIdList()
  ticketing?: string[];

  /** The one deletion type and its ids; call only after validation. */
  static selection(dto: CreateDeletionRequestDto): { type: DeletionType; ids: string[] } {
    const type = presentDeletionTypes(dto)[0] as DeletionType;
    return { type, ids: dto[type]! };
  }
}
