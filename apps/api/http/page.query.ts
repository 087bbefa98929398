import { isRequestId } from '#app/domain';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';

/** Keyset paging, as every list of the API pages: `limit`, and the next page's cursor from the `Link` header. */
export class PageQuery {
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
