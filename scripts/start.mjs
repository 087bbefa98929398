// `npm start`: PostgreSQL and Redis (found or started), migrations, then the API and one worker.
// In development it also creates a demo account and prints a token and a ready-to-paste curl.
// `--watch` (`npm run start:dev`): tsc rebuilds dist/ on every change and each app restarts when a file it loaded changes.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureServices, stopStartedServices } from './services.mjs';

const DEMO_SITE_ID = '12345678';
const DEVELOPMENT_JWT_SECRET = 'development-only-secret-do-not-use-in-production';
const DEVELOPMENT_API_KEY_ENCRYPTION_KEY = 'ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhISE=';

if (existsSync('.env')) process.loadEnvFile('.env');
const env = { ...process.env, ...(await ensureServices()) };
const development = (env.NODE_ENV ?? 'development') === 'development';
if (development && !env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL) env.AUTH_JWT_SECRET = DEVELOPMENT_JWT_SECRET;
if (development && !env.API_KEY_ENCRYPTION_KEY) env.API_KEY_ENCRYPTION_KEY = DEVELOPMENT_API_KEY_ENCRYPTION_KEY;

const cli = (...args) => execFileSync('node', ['dist/apps/cli/main.js', ...args], { env, encoding: 'utf8' });
process.stderr.write(cli('migrate'));

if (development) {
  cli('accounts', 'create', '--site-id', DEMO_SITE_ID, '--cancellation-window', '60');
  const token = cli('tokens', 'mint', '--site-id', DEMO_SITE_ID, '--user', 'demo', '--ttl', '86400').trim();
  const port = env.PORT ?? '3000';
  process.stderr.write(`
Demo account ${DEMO_SITE_ID} (60 s cancellation window). A token valid for 24 h:

  export TOKEN=${token}
  curl -s -X POST http://127.0.0.1:${port}/api/account/${DEMO_SITE_ID}/personal-data-deletion \\
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
    -d '{"engagement":["${DEMO_SITE_ID}4295067780"]}'

`);
}

const watch = process.argv.includes('--watch');
const compiler = watch
  ? spawn('npx', ['tsc', '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], { stdio: 'inherit', env })
  : undefined;
const apps = ['api', 'worker'].map((app) =>
  spawn('node', [...(watch ? ['--watch'] : []), `dist/apps/${app}/main.js`], { stdio: 'inherit', env }),
);
let exiting = false;
const stop = (signal) => {
  if (exiting) return;
  exiting = true;
  compiler?.kill(signal);
  for (const app of apps) app.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));
let running = apps.length;
for (const app of apps) {
  app.on('exit', (code) => {
    stop('SIGTERM');
    if (--running === 0) {
      stopStartedServices();
      process.exit(code ?? 0);
    }
  });
}
