import { isRequestId, REQUEST_STATUSES, RequestStatus } from '#app/domain';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateBy } from 'class-validator';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Filters and paging of the list (docs/ARCHITECTURE.md, "Listing"): dates are UTC days, inclusive, on request_time. */
export class ListDeletionRequestsQuery {
  @ApiPropertyOptional({ enum: RequestStatus })
  @IsOptional()
  @IsIn(REQUEST_STATUSES, { message: `status must be one of ${REQUEST_STATUSES.join(', ')}` })
  status?: RequestStatus;

  @ApiPropertyOptional({ example: '2026-01-01', description: 'First day (UTC, yyyy-mm-dd), inclusive.' })
  @IsOptional()
  @Matches(DATE, { message: 'fromDate must be a date in yyyy-mm-dd format' })
  fromDate?: string;

  @ApiPropertyOptional({ example: '2026-01-31', description: 'Last day (UTC, yyyy-mm-dd), inclusive.' })
  @IsOptional()
  @Matches(DATE, { message: 'toDate must be a date in yyyy-mm-dd format' })
  toDate?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 100 })
  @IsOptional()
  // Plain decimal digits only: Number() would also take `0x10`, `1e2` or ` 5`.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: 'limit must be a whole number from 1 to 100' })
  @Min(1, { message: 'limit must be a whole number from 1 to 100' })
  @Max(100, { message: 'limit must be a whole number from 1 to 100' })
  limit?: number;

  @ApiPropertyOptional({ description: "Opaque cursor from the previous page's Link header." })
  @IsOptional()
  @ValidateBy(
    { name: 'isRequestId', validator: { validate: isRequestId } },
    { message: 'cursor must come from a Link header of this API' },
  )
  cursor?: string;
}
