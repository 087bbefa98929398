import { Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AccountController } from '../account-controller.decorator.js';
import { Caller } from '../auth/current-principal.decorator.js';
import { Permission } from '#app/domain';
import type { AuthenticatedRequest } from '../auth/principal.js';
import { RequirePermission } from '../auth/require-permission.decorator.js';
import { ApiErrors } from '../http/api-errors.decorator.js';
import { RequestIdPipe } from '../deletion-requests/request-id.pipe.js';
import { AuditEventRecord, ReceiptRecord } from './proof.dto.js';
import { ProofReader } from './proof.reader.js';

/** A request's evidence (docs/ARCHITECTURE.md, "Proof"): its audit trail and its signed receipt. */
@AccountController('proof of erasure', ':requestId')
export class ProofController {
  constructor(private readonly reader: ProofReader) {}

  @Get('events')
  @RequirePermission(Permission.Read)
  @ApiOperation({
    summary: "The request's audit trail, oldest first, with both hashes of each event (read permission)",
  })
  @ApiOkResponse({ type: [AuditEventRecord] })
  @ApiErrors(400, 401, 403, 404)
  events(
    @Caller() caller: AuthenticatedRequest,
    @Param('requestId', RequestIdPipe) requestId: string,
  ): Promise<AuditEventRecord[]> {
    return this.reader.events(caller.account.siteId, requestId);
  }

  @Get('receipt')
  @RequirePermission(Permission.Read)
  @ApiOperation({
    summary: 'A signed receipt (compact JWS, ES256) of a DONE request; verify it against /.well-known/jwks.json',
  })
  @ApiOkResponse({ type: ReceiptRecord })
  @ApiErrors(400, 401, 403, 404, 409)
  async receipt(
    @Caller() caller: AuthenticatedRequest,
    @Param('requestId', RequestIdPipe) requestId: string,
  ): Promise<ReceiptRecord> {
    return { jws: await this.reader.receipt(caller.account.siteId, requestId, caller.principal.subject) };
  }
}
