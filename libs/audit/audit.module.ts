import { Module } from '@nestjs/common';
import { AuditEventsRepository } from './audit-events.repository.js';
import { AuditTrailListener } from './audit-trail.listener.js';
import { AuditTrail } from './audit-trail.js';
import { AuditVerificationRepository } from './audit-verification.repository.js';
import { AuditVerifier } from './audit-verifier.js';

const PROVIDERS = [AuditEventsRepository, AuditVerificationRepository, AuditTrail, AuditTrailListener, AuditVerifier];

/** The audit trail; importing it registers its transition listener (the apps need `TransitionListenersModule`). */
@Module({ providers: PROVIDERS, exports: PROVIDERS })
export class AuditModule {}
