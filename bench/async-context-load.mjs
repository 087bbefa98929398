// One process of the async-context benchmark: `node bench/async-context-load.mjs plain|als`. Runs a
// promise-heavy stand-in for a request's handling (50 awaited steps) many times, either bare or inside
// AsyncLocalStorage.run, and prints the median milliseconds of 5 timed runs as JSON.
import { AsyncLocalStorage } from 'node:async_hooks';

const mode = process.argv[2];
const storage = new AsyncLocalStorage();
const REQUESTS = 50_000;

async function step(value) {
  // Awaiting a non-promise is the point: one microtask turn per step, as in the code it stands in for.
  // eslint-disable-next-line @typescript-eslint/await-thenable
  await null;
  return value + 1;
}

async function handle() {
  let value = 0;
  for (let i = 0; i < 50; i++) value = await step(value);
  if (mode === 'als') storage.getStore();
  return value;
}

async function timed() {
  const started = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) await (mode === 'als' ? storage.run({ reqId: i }, handle) : handle());
  return Number(process.hrtime.bigint() - started) / 1e6;
}

await timed(); // warm-up
const runs = [];
for (let i = 0; i < 5; i++) runs.push(await timed());
runs.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ mode, median_ms: runs[2] })}\n`);
