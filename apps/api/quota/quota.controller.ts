import { Permission } from '#app/domain';
import { Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { AccountController } from '../account-controller.decorator.js';
import { ApiErrors } from '../http/api-errors.decorator.js';
import { Caller } from '../auth/current-principal.decorator.js';
import type { AuthenticatedRequest } from '../auth/principal.js';
import { RequirePermission } from '../auth/require-permission.decorator.js';
import { QuotaService } from './quota.service.js';

/** This calendar month's use of the account's quota. */
export class QuotaRecord {
  @ApiProperty({ example: 100 })
  limit!: number;

  @ApiProperty({ example: 7 })
  used!: number;

  @ApiProperty({ example: 93 })
  remaining!: number;

  @ApiProperty({ example: '2026-12-01T00:00:00.000Z', description: 'The first instant of next month (UTC).' })
  resets_at!: string;
}

@AccountController('personal data deletion', 'quota')
export class QuotaController {
  constructor(private readonly quota: QuotaService) {}

  @Get()
  @RequirePermission(Permission.Read)
  @ApiOperation({ summary: "This calendar month's quota use (read permission)" })
  @ApiOkResponse({ type: QuotaRecord })
  @ApiErrors(400, 401, 403)
  async get(@Caller() caller: AuthenticatedRequest): Promise<QuotaRecord> {
    const { limit, used, resetsAt } = await this.quota.state(caller.account);
    return { limit, used, remaining: Math.max(0, limit - used), resets_at: resetsAt.toISOString() };
  }
}
