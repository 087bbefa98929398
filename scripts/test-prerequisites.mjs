// `npm test` runs this first: the machine tools the tests need beyond Node, PostgreSQL and Redis.
// Each missing one is installed from Debian's packages when this runs as root with apt-get (as CI does);
// otherwise it stops at once with the exact command to run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What the tests call, and the Debian package that brings it. */
const TOOLS = [
  { path: '/usr/bin/chromium', pkg: 'chromium', for: 'the queue dashboard browser test' },
  { path: '/usr/bin/promtool', pkg: 'prometheus', for: 'the alert rules check (promtool check rules)' },
];

const missing = TOOLS.filter((tool) => !existsSync(tool.path));
if (missing.length > 0) {
  const packages = missing.map((tool) => tool.pkg);
  const root = process.getuid?.() === 0;
  const apt = existsSync('/usr/bin/apt-get');
  if (!root || !apt) {
    for (const tool of missing) process.stderr.write(`[test] ${tool.path} is missing (${tool.for})\n`);
    process.stderr.write(`[test] install it first: sudo apt-get install -y ${packages.join(' ')}\n`);
    process.exit(1);
  }
  process.stderr.write(`[test] installing ${packages.join(', ')} from Debian's packages\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
}
