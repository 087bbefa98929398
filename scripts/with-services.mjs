// `node scripts/with-services.mjs -- <command...>`: runs the command with DATABASE_URL and REDIS_URL set to
// servers that answer (see services.mjs), then stops any throwaway server it started.
import { spawn } from 'node:child_process';
import { ensureServices, stopStartedServices } from './services.mjs';

const separator = process.argv.indexOf('--');
const [command, ...args] = process.argv.slice(separator + 1);
if (separator === -1 || !command) {
  process.stderr.write('usage: node scripts/with-services.mjs -- <command> [args...]\n');
  process.exit(2);
}
const services = await ensureServices();
const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...services } });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  stopStartedServices();
  process.exit(code ?? (signal ? 1 : 0));
});
