import { AppConfig } from '#app/config';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, QueryConfig } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Readiness of the service database: `SELECT 1` answered within READINESS_TIMEOUT_MS. The query carries that
 * timeout itself, so a silent connection is dropped from the pool (the pool discards a client whose query
 * failed) instead of being held until the pool's own query timeout.
 */
@Injectable()
export class PostgresPing {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Undefined when PostgreSQL answers, else why not. */
  async problem(): Promise<string | undefined> {
    const pool = (this.dataSource.driver as unknown as { master?: Pool }).master;
    if (!this.dataSource.isInitialized || !pool) return 'not connected';
    const ms = this.config.READINESS_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    // The pool's wait for a free connection is not covered by query_timeout: bound the whole check.
    const late = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`no answer within ${ms} ms`), ms);
    });
    // pg reads a per-query query_timeout; its types do not list it.
    const ping = pool.query({ text: 'SELECT 1', query_timeout: ms } as QueryConfig).then(
      () => undefined,
      (error: Error) => error.message,
    );
    try {
      return await Promise.race([ping, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
