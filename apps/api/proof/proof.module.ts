import { AuditModule } from '#app/audit';
import { ReceiptsModule } from '#app/receipts';
import { Module } from '@nestjs/common';
import { JwksController } from './jwks.controller.js';
import { ProofController } from './proof.controller.js';
import { ProofReader } from './proof.reader.js';

@Module({
  imports: [AuditModule, ReceiptsModule],
  controllers: [ProofController, JwksController],
  providers: [ProofReader],
})
export class ProofModule {}
