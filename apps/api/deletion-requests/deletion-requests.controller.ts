import { Permission } from '#app/domain';
import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { rateLimitHeaders } from '#app/observability';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { performance } from 'node:perf_hooks';
import { Caller } from '../auth/current-principal.decorator.js';
import type { AuthenticatedRequest } from '../auth/principal.js';
import { RequirePermission } from '../auth/require-permission.decorator.js';
import { ApiErrors } from '../http/api-errors.decorator.js';
import { JsonBody } from '../http/json-body.decorator.js';
import { QueryShapeInterceptor } from '../http/query-shape.interceptor.js';
import { CancellationService } from './cancellation.service.js';
import { DeletionRequestsReader } from './deletion-requests.reader.js';
import { DeletionRequestsService } from './deletion-requests.service.js';
import { CreateDeletionRequestDto } from './dto/create-deletion-request.dto.js';
import { DeletionRequestDetail, DeletionRequestRecord, toRecord } from './dto/deletion-request-record.dto.js';
import { ListDeletionRequestsQuery } from './dto/list-deletion-requests.query.js';
import { IdempotencyKey } from './idempotency-key.decorator.js';
import { nextPageLink } from './next-page-link.js';
import { RequestIdPipe } from './request-id.pipe.js';

@ApiTags('personal data deletion')
@ApiSecurity('bearer')
@ApiSecurity('oauth1')
@ApiParam({
  name: 'siteId',
  description: 'The account (site) id: 1 to 20 letters, digits or underscores.',
  example: '20762324',
})
@Controller('api/account/:siteId/personal-data-deletion')
export class DeletionRequestsController {
  constructor(
    private readonly service: DeletionRequestsService,
    private readonly cancellation: CancellationService,
    private readonly reader: DeletionRequestsReader,
  ) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @RequirePermission(Permission.Write)
  @ApiOperation({ summary: 'Ask that the personal data behind some ids be erased (write permission)' })
  @ApiBody({
    type: CreateDeletionRequestDto,
    examples: { engagement: { value: { engagement: ['207623244295067780'] } } },
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Replays the first 201 for 24 h; another body is 422.',
  })
  @ApiCreatedResponse({
    type: DeletionRequestRecord,
    description: 'Recorded. Erasure starts when final_at passes, unless canceled before.',
    headers: {
      'RateLimit-Limit': { description: 'Requests allowed this calendar month (UTC)', schema: { type: 'integer' } },
      'RateLimit-Remaining': { description: 'Requests left this month', schema: { type: 'integer' } },
      'RateLimit-Reset': { description: 'Seconds until the quota resets', schema: { type: 'integer' } },
      'Idempotent-Replayed': {
        description: '`true` when an Idempotency-Key replayed an earlier create',
        schema: { type: 'string' },
      },
    },
  })
  @ApiErrors(400, 401, 403, 413, 415, 422, 429)
  async create(
    @Caller() caller: AuthenticatedRequest,
    @JsonBody() body: CreateDeletionRequestDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DeletionRequestRecord> {
    const arrivedAt = performance.now() - reply.elapsedTime;
    const result = await this.service.create(
      caller.account,
      caller.principal,
      body,
      request.id,
      idempotencyKey,
      arrivedAt,
    );
    reply.headers(rateLimitHeaders({ ...result.quota, remaining: result.quota.limit - result.quota.used }));
    if (result.replayed) reply.header('Idempotent-Replayed', 'true');
    return toRecord(result.request);
  }

  @Post(':requestId/cancel')
  @HttpCode(HttpStatus.OK)
  @RequirePermission(Permission.Write)
  @ApiOperation({ summary: 'Cancel a request inside its cancellation window (write permission)' })
  @ApiOkResponse({ type: [DeletionRequestRecord], description: 'A one-element array holding the canceled record.' })
  @ApiErrors(400, 401, 403, 404, 409)
  async cancel(
    @Caller() caller: AuthenticatedRequest,
    @Param('requestId', RequestIdPipe) requestId: string,
  ): Promise<DeletionRequestRecord[]> {
    return [toRecord(await this.cancellation.cancel(caller.account, caller.principal, requestId))];
  }

  @Get(':requestId')
  @RequirePermission(Permission.Read)
  @ApiOperation({ summary: 'One request with its status and per-store progress (read permission)' })
  @ApiOkResponse({ type: DeletionRequestDetail })
  @ApiErrors(400, 401, 403, 404)
  get(
    @Caller() caller: AuthenticatedRequest,
    @Param('requestId', RequestIdPipe) requestId: string,
  ): Promise<DeletionRequestDetail> {
    return this.reader.get(caller.account, requestId);
  }

  @Get()
  @RequirePermission(Permission.Read)
  @UseInterceptors(QueryShapeInterceptor)
  @ApiOperation({
    summary: "The account's requests, newest first; the next page is in the Link header (read permission)",
  })
  @ApiOkResponse({
    type: [DeletionRequestRecord],
    headers: { Link: { description: '`<url>; rel="next"` when more requests follow', schema: { type: 'string' } } },
  })
  @ApiErrors(400, 401, 403)
  async list(
    @Caller() caller: AuthenticatedRequest,
    @Query() query: ListDeletionRequestsQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DeletionRequestRecord[]> {
    const page = await this.reader.list(caller.account, query);
    if (page.nextCursor) reply.header('Link', nextPageLink(request, page.nextCursor));
    return page.requests.map(toRecord);
  }
}
