import { Controller, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Caller } from '../auth/current-principal.decorator.js';
import { Permission } from '../auth/permission.js';
import type { AuthenticatedRequest } from '../auth/principal.js';
import { RequirePermission } from '../auth/require-permission.decorator.js';
import { JsonBody } from '../http/json-body.decorator.js';
import { rateLimitHeaders } from '../quota/quota.service.js';
import { toRecord, type DeletionRequestRecord } from './deletion-request.record.js';
import { DeletionRequestsService } from './deletion-requests.service.js';
import { CreateDeletionRequestDto } from './dto/create-deletion-request.dto.js';
import { IdempotencyKey } from './idempotency-key.decorator.js';

@Controller('api/account/:siteId/personal-data-deletion')
export class DeletionRequestsController {
  constructor(private readonly service: DeletionRequestsService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @RequirePermission(Permission.Write)
  async create(
    @Caller() caller: AuthenticatedRequest,
    @JsonBody() body: CreateDeletionRequestDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DeletionRequestRecord> {
    const result = await this.service.create(caller.account, caller.principal, body, request.id, idempotencyKey);
    reply.headers(rateLimitHeaders(result.quota));
    if (result.replayed) reply.header('Idempotent-Replayed', 'true');
    return toRecord(result.request);
  }
}
