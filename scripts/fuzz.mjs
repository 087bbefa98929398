// `npm run fuzz -- --runs 10000`: the API fuzzing suite with a chosen number of generated requests.
import { spawn } from 'node:child_process';

const at = process.argv.indexOf('--runs');
const runs = at === -1 ? 10000 : Number(process.argv[at + 1]);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write('usage: npm run fuzz -- [--runs N]\n');
  process.exit(2);
}
const jest = spawn(
  'node',
  [
    'scripts/with-services.mjs',
    '--',
    'npx',
    'jest',
    '--selectProjects',
    'fuzz',
    '--forceExit',
    '--globals',
    JSON.stringify({ FUZZ_RUNS: runs }),
  ],
  { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules' } },
);
jest.on('exit', (code) => process.exit(code ?? 1));
