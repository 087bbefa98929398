import { PublicRoute } from '#app/observability';
import { ReceiptKeyRing } from '#app/receipts';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { JWK } from 'jose';

/** The receipt keys' public halves: what an auditor verifies a receipt with, without calling us again. */
@ApiTags('proof of erasure')
@PublicRoute(true)
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: ReceiptKeyRing) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'The public keys receipts are signed with (JWKS, public)' })
  @ApiOkResponse({ description: '`{"keys": [{kty, crv, x, y, kid, alg, use}]}`' })
  jwks(): Promise<{ keys: JWK[] }> {
    return this.keys.jwks();
  }
}
