import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppConfig, DEVELOPMENT_API_KEY_ENCRYPTION_KEY, DEVELOPMENT_JWT_SECRET } from './app-config.js';
import { isLoopback } from './loopback.js';
import { receiptKeyProblems } from './proof-settings.js';
import { printableValue } from './redact.js';
import { redisProblems } from './redis-settings.js';

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
  // One line per setting, showing what was given (not its transformed value: `abc` is NaN after int()).
  const problems = validateSync(config).map((error) => {
    const given: unknown = defined[error.property] ?? error.value;
    const rules = Object.values(error.constraints ?? {}).join('; ');
    return `${error.property}: ${rules} (got ${printableValue(error.property, given)})`;
  });
  if (Boolean(config.ADMIN_USER) !== Boolean(config.ADMIN_PASSWORD)) {
    problems.push('ADMIN_USER and ADMIN_PASSWORD: set both to mount the queue dashboard, or neither');
  }
  problems.push(...developmentSecretProblems(config), ...productionProblems(config), ...baseUrlProblems(config));
  problems.push(...redisProblems(config));
  problems.push(...receiptKeyProblems(config));
  if (problems.length > 0) throw new ConfigError(problems);
  config.AUTH_OAUTH_REQUIRE_BODY_HASH ??= config.NODE_ENV === 'production';
  return config;
}

/** The development secrets are public (they are in the repository): fine only for an API nobody else reaches. */
function developmentSecretProblems(config: AppConfig): string[] {
  if (isLoopback(config.HOST)) return [];
  const problems: string[] = [];
  const rule = `is accepted only while the API listens on loopback (HOST is ${config.HOST}): set one of your own`;
  if (config.AUTH_JWT_SECRET === DEVELOPMENT_JWT_SECRET) {
    problems.push(`AUTH_JWT_SECRET: the development secret ${rule}`);
  }
  if (config.API_KEY_ENCRYPTION_KEY === DEVELOPMENT_API_KEY_ENCRYPTION_KEY) {
    problems.push(`API_KEY_ENCRYPTION_KEY: the development key ${rule}`);
  }
  return problems;
}

function baseUrlProblems(config: AppConfig): string[] {
  if (!config.PUBLIC_BASE_URL || !URL.canParse(config.PUBLIC_BASE_URL)) return []; // unset, or reported already
  const url = new URL(config.PUBLIC_BASE_URL);
  return url.search || url.hash || url.username || url.password
    ? ['PUBLIC_BASE_URL: must be a scheme, host, optional port and path, without credentials, query or fragment']
    : [];
}

function productionProblems(config: AppConfig): string[] {
  if (config.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (config.WEBHOOK_ALLOW_PRIVATE) {
    problems.push(
      'WEBHOOK_ALLOW_PRIVATE: never accepted when NODE_ENV=production (it lets webhooks reach private networks)',
    );
  }
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
  if (config.AUTH_JWKS_URL && !/^https:\/\//i.test(config.AUTH_JWKS_URL)) {
    problems.push('AUTH_JWKS_URL: must be an https URL when NODE_ENV=production');
  }
  for (const name of ['AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE', 'AUTH_JWT_MAX_AGE_SECONDS'] as const) {
    if (config[name] === undefined) problems.push(`${name}: must be set when NODE_ENV=production`);
  }
  return problems;
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
