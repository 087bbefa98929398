import { Controller, Get, Inject, Optional, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ErrorBody } from './error-body.js';
import { PostgresPing } from './postgres-ping.js';
import { RedisPing } from './redis-ping.js';
import { PublicRoute } from './public-route.decorator.js';
import { ShutdownState } from './shutdown-state.js';

/** A readiness condition of one app (the worker: its queue consumers run). */
export interface ReadinessCheck {
  readonly name: string;
  /** Undefined when fine, else why not. */
  problem(): Promise<string | undefined>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@ApiTags('operations')
@PublicRoute(true)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly postgres: PostgresPing,
    private readonly redis: RedisPing,
    private readonly shutdown: ShutdownState,
    @Optional() @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[] = [],
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'PostgreSQL and Redis answer and the app is not shutting down; 503 names what is down' })
  @ApiOkResponse({
    schema: { example: { status: 'ok', info: { postgresql: { status: 'up' }, redis: { status: 'up' } } } },
  })
  @ApiServiceUnavailableResponse({ type: ErrorBody })
  async ready(): Promise<unknown> {
    // Decided here, not left to terminus, which answers a bare 503 of its own once shutdown has begun.
    if (this.shutdown.shuttingDown) throw new ServiceUnavailableException('not ready: shutting down');
    try {
      return await this.health.check([
        () => this.result('shutdown', this.shutdown.shuttingDown ? 'shutting down' : undefined),
        // Each check bounded by READINESS_TIMEOUT_MS: a silent dependency is reported down, not waited for.
        async () => this.result('postgresql', await this.postgres.problem()),
        async () => this.result('redis', await this.redis.problem()),
        ...this.checks.map((check) => async () => this.result(check.name, await check.problem())),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const down = Object.entries(
        (error.getResponse() as { error?: Record<string, { message?: string }> }).error ?? {},
      );
      const reasons = down.map(([name, detail]) => `${name} is down${detail.message ? ` (${detail.message})` : ''}`);
      if (this.shutdown.shuttingDown) reasons.unshift('shutting down');
      throw new ServiceUnavailableException(`not ready: ${reasons.join('; ') || 'a check failed'}`);
    }
  }

  private result(name: string, problem: string | undefined): HealthIndicatorResult {
    const session = this.indicators.check(name);
    return problem ? session.down({ message: problem }) : session.up();
  }
}
