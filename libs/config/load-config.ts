import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppConfig, DEVELOPMENT_API_KEY_ENCRYPTION_KEY, DEVELOPMENT_JWT_SECRET } from './app-config.js';

export type Environment = Record<string, string | undefined>;

/** Thrown when the environment holds a bad or missing setting; its message names every one. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = ConfigError.name;
  }
}

/**
 * Reads and validates the settings. The only place in the project that reads `process.env`;
 * tests pass an explicit environment instead.
 */
export function loadConfig(env: Environment = process.env): AppConfig {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
  const config = plainToInstance(AppConfig, defined, { excludeExtraneousValues: true, exposeDefaultValues: true });
  const problems = validateSync(config).flatMap((error) =>
    Object.values(error.constraints ?? {}).map(
      (message) => `${error.property}: ${message} (got ${describe(error.value)})`,
    ),
  );
  if (Boolean(config.ADMIN_USER) !== Boolean(config.ADMIN_PASSWORD)) {
    problems.push('ADMIN_USER and ADMIN_PASSWORD: set both to mount the queue dashboard, or neither');
  }
  problems.push(...productionProblems(config));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function productionProblems(config: AppConfig): string[] {
  if (config.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (config.AUTH_JWT_SECRET === DEVELOPMENT_JWT_SECRET) {
    problems.push('AUTH_JWT_SECRET: the development secret is never accepted when NODE_ENV=production');
  } else if (config.AUTH_JWT_SECRET !== undefined && config.AUTH_JWT_SECRET.length < 32) {
    problems.push('AUTH_JWT_SECRET: must be at least 32 characters when NODE_ENV=production');
  }
  if (config.API_KEY_ENCRYPTION_KEY === DEVELOPMENT_API_KEY_ENCRYPTION_KEY) {
    problems.push('API_KEY_ENCRYPTION_KEY: the development key is never accepted when NODE_ENV=production');
  }
  if (!config.AUTH_JWT_SECRET && !config.AUTH_JWKS_URL) {
    problems.push('AUTH_JWT_SECRET or AUTH_JWKS_URL: one of them must be set when NODE_ENV=production');
  }
  return problems;
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** For an app's `main.ts`: the validated config, or a message naming each bad variable and exit code 1. */
export function loadConfigOrExit(env: Environment = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
