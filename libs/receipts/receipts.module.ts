import { AuditModule } from '#app/audit';
import { Module } from '@nestjs/common';
import { IssuedReceiptsRepository } from './issued-receipts.repository.js';
import { ReceiptIssuer } from './receipt-issuer.js';
import { ReceiptKeyRing } from './receipt-key-ring.js';
import { ReceiptKeysRepository } from './receipt-keys.repository.js';

const PROVIDERS = [IssuedReceiptsRepository, ReceiptKeysRepository, ReceiptKeyRing, ReceiptIssuer];

@Module({ imports: [AuditModule], providers: PROVIDERS, exports: PROVIDERS })
export class ReceiptsModule {}
