import { Expose, Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, IsUrl, Matches } from 'class-validator';
import { CredentialSettings } from './credential-settings.js';
import { bool, emptyToUndefined } from './transforms.js';

/**
 * Where Redis is: one node (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_NODES`, which then replaces
 * `REDIS_URL` for every client). Part of `AppConfig`; `loadConfig` checks the rules that tie them together.
 */
export class RedisSettings extends CredentialSettings {
  /** One Redis node; credentials and TLS (`rediss://`) in the URL. */
  @Expose()
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Seed nodes of a Redis Cluster, `host:port,host:port,...`; a few suffice, the client discovers the rest. */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, {
    message: 'REDIS_CLUSTER_NODES must be host:port pairs separated by commas (10.0.0.1:6379,10.0.0.2:6379)',
  })
  REDIS_CLUSTER_NODES?: string;

  /** Cluster only (a single node takes them from REDIS_URL): the ACL user and password of every node. */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  REDIS_USERNAME?: string;

  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  REDIS_PASSWORD?: string;

  /** Cluster only: TLS to every node (a single node says `rediss://`). */
  @Expose()
  @Transform(bool)
  @IsOptional()
  @IsBoolean()
  REDIS_TLS?: boolean;
}

/** What `loadConfig` adds to the field rules: ports in range, cluster-only settings only with a cluster. */
export function redisProblems(config: RedisSettings): string[] {
  const problems: string[] = [];
  if (config.REDIS_CLUSTER_NODES && /^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/.test(config.REDIS_CLUSTER_NODES)) {
    const bad = config.REDIS_CLUSTER_NODES.split(',').filter((node) => {
      const port = Number(node.slice(node.lastIndexOf(':') + 1));
      return port < 1 || port > 65535;
    });
    if (bad.length > 0) problems.push(`REDIS_CLUSTER_NODES: port out of range in ${bad.join(', ')}`);
  }
  if (!config.REDIS_CLUSTER_NODES) {
    for (const name of ['REDIS_USERNAME', 'REDIS_PASSWORD', 'REDIS_TLS'] as const) {
      if (config[name] !== undefined)
        problems.push(`${name}: applies only with REDIS_CLUSTER_NODES (one node takes it from REDIS_URL)`);
    }
  }
  return problems;
}
