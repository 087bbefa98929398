import { Controller, Get } from '@nestjs/common';
import { Caller } from '../auth/current-principal.decorator.js';
import { Permission } from '../auth/permission.js';
import type { AuthenticatedRequest } from '../auth/principal.js';
import { RequirePermission } from '../auth/require-permission.decorator.js';
import { QuotaService } from './quota.service.js';

export interface QuotaRecord {
  limit: number;
  used: number;
  remaining: number;
  resets_at: string;
}

@Controller('api/account/:siteId/personal-data-deletion/quota')
export class QuotaController {
  constructor(private readonly quota: QuotaService) {}

  @Get()
  @RequirePermission(Permission.Read)
  async get(@Caller() caller: AuthenticatedRequest): Promise<QuotaRecord> {
    const { limit, used, resetsAt } = await this.quota.state(caller.account);
    return { limit, used, remaining: Math.max(0, limit - used), resets_at: resetsAt.toISOString() };
  }
}
