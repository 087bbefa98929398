import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';

/** Knows that shutdown has begun, from the signal itself, so readiness turns 503 before anything closes. */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private stopping = false;

  constructor() {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => (this.stopping = true));
  }

  get shuttingDown(): boolean {
    return this.stopping;
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }
}
