import { TransitionListeners, type TransitionEvent, type TransitionListener } from '#app/lifecycle';
import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditTrail } from './audit-trail.js';

/**
 * Writes each won transition to the audit trail, in the transition's own transaction (an outbox); a `created` event
 * is the create statement's own (`AuditTrail.record` leaves it out).
 */
@Injectable()
export class AuditTrailListener implements TransitionListener, OnModuleInit {
  constructor(
    private readonly listeners: TransitionListeners,
    private readonly trail: AuditTrail,
  ) {}

  onModuleInit(): void {
    this.listeners.add(this);
  }

  async onTransition(manager: EntityManager, events: readonly TransitionEvent[]): Promise<void> {
    await this.trail.record(
      manager,
      events.map(({ type, requestId, actor, details }) => ({ type, requestId, actor, details })),
    );
  }
}
