import { isRequestId } from '#app/domain';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';

/** Paging of an endpoint's deliveries, as the request list pages. */
export class ListDeliveriesQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 100 })
  @IsOptional()
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
