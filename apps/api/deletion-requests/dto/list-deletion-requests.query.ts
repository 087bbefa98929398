import { REQUEST_STATUSES, RequestStatus } from '#app/domain';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQuery } from '../../http/page.query.js';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Filters and paging of the list (docs/ARCHITECTURE.md, "Listing"): dates are UTC days, inclusive, on request_time. */
export class ListDeletionRequestsQuery extends PageQuery {
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
}
