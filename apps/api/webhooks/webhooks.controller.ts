import { WebhookEndpointsService, toDeliveryView, toWebhookView } from '#app/webhooks';
import { Controller, Delete, Get, HttpStatus, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Caller } from '../auth/current-principal.decorator.js';
import { Permission } from '#app/domain';
import type { AuthenticatedRequest } from '../auth/principal.js';
import { nextPageLink } from '../deletion-requests/next-page-link.js';
import { JsonBody } from '../http/json-body.decorator.js';
import { QueryShapeInterceptor } from '../http/query-shape.interceptor.js';
import { CreateWebhookDto } from './dto/create-webhook.dto.js';
import { ListDeliveriesQuery } from './dto/list-deliveries.query.js';
import { CreatedWebhookRecord, DeliveryRecord, WebhookRecord } from './dto/webhook.dto.js';
import { IdPipe } from './id.pipe.js';
import { RedeliverLimiter } from './redeliver-limiter.js';
import { WebhookRoute } from './webhook-route.decorator.js';

const DEFAULT_PAGE_SIZE = 50;

/** Status-change webhook endpoints of an account (docs/ARCHITECTURE.md, "Status-change webhooks"). */
@ApiTags('webhooks')
@ApiSecurity('bearer')
@ApiSecurity('oauth1')
@ApiParam({ name: 'siteId', description: 'The account (site) id.', example: '20762324' })
@Controller('api/account/:siteId/personal-data-deletion/webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhookEndpointsService,
    private readonly redeliveries: RedeliverLimiter,
  ) {}

  @Post()
  @WebhookRoute(Permission.Write, {
    summary: 'Register an endpoint; its signing secret is shown this once (write permission)',
    errors: [400, 401, 403, 409],
    status: HttpStatus.CREATED,
  })
  async create(
    @Caller() caller: AuthenticatedRequest,
    @JsonBody({ maxStringLength: 4096 }) body: CreateWebhookDto,
  ): Promise<CreatedWebhookRecord> {
    const { endpoint, secret } = await this.webhooks.create(caller.account.siteId, body.url, body.events);
    return { ...toWebhookView(endpoint), secret };
  }

  @Get()
  @WebhookRoute(Permission.Read, {
    summary: "The account's endpoints, with whether each is enabled (read permission)",
    errors: [401, 403],
  })
  async list(@Caller() caller: AuthenticatedRequest): Promise<WebhookRecord[]> {
    return (await this.webhooks.list(caller.account.siteId)).map(toWebhookView);
  }

  @Get(':webhookId')
  @WebhookRoute(Permission.Read, { summary: 'One endpoint (read permission)', errors: [400, 401, 403, 404] })
  async get(
    @Caller() caller: AuthenticatedRequest,
    @Param('webhookId', IdPipe) webhookId: string,
  ): Promise<WebhookRecord> {
    return toWebhookView(await this.webhooks.get(caller.account.siteId, webhookId));
  }

  @Delete(':webhookId')
  @WebhookRoute(Permission.Write, {
    summary: 'Delete an endpoint and its deliveries (write permission)',
    errors: [400, 401, 403, 404],
    status: HttpStatus.NO_CONTENT,
  })
  async delete(@Caller() caller: AuthenticatedRequest, @Param('webhookId', IdPipe) webhookId: string): Promise<void> {
    await this.webhooks.delete(caller.account.siteId, webhookId);
  }

  @Get(':webhookId/deliveries')
  @UseInterceptors(QueryShapeInterceptor)
  @WebhookRoute(Permission.Read, {
    summary: "An endpoint's deliveries, newest first; the next page is in the Link header",
    errors: [400, 401, 403, 404],
  })
  async deliveries(
    @Caller() caller: AuthenticatedRequest,
    @Param('webhookId', IdPipe) webhookId: string,
    @Query() query: ListDeliveriesQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DeliveryRecord[]> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.webhooks.deliveriesOf(caller.account.siteId, webhookId, limit, query.cursor);
    if (page.nextCursor) reply.header('Link', nextPageLink(request, page.nextCursor));
    return page.deliveries.map(toDeliveryView);
  }

  @Post(':webhookId/deliveries/:deliveryId/redeliver')
  @WebhookRoute(Permission.Write, {
    summary: 'Deliver an event again, with the same webhook-id (write permission)',
    errors: [400, 401, 403, 404],
    status: HttpStatus.ACCEPTED,
    tooMany: 'The account asked for WEBHOOK_REDELIVER_LIMIT redeliveries within the window; see Retry-After.',
  })
  async redeliver(
    @Caller() caller: AuthenticatedRequest,
    @Param('webhookId', IdPipe) webhookId: string,
    @Param('deliveryId', IdPipe) deliveryId: string,
    @Req() request: FastifyRequest,
  ): Promise<DeliveryRecord> {
    await this.redeliveries.take(request);
    return toDeliveryView(await this.webhooks.redeliver(caller.account.siteId, webhookId, deliveryId));
  }
}
