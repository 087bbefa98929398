// async-context: what AsyncLocalStorage costs promise-heavy code on the running Node.js. The API's log context
// was moved off it because on Node 20 it turns on a hook for every promise of the process; Node 24 keeps the
// context in the async context frame instead. Rounds alternate a bare process and one inside
// AsyncLocalStorage.run, so drift in this machine's speed reaches both alike.
import { execFileSync } from 'node:child_process';
import { median } from './lib.mjs';

const ROUNDS = 3;

function measure(mode) {
  const output = execFileSync(process.execPath, ['bench/async-context-load.mjs', mode], { encoding: 'utf8' });
  return JSON.parse(output).median_ms;
}

export function asyncContextBenchmark() {
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const plain = measure('plain');
    const als = measure('als');
    process.stderr.write(
      `[bench] async-context round ${round + 1}: plain ${plain.toFixed(0)} ms, als ${als.toFixed(0)} ms\n`,
    );
    rounds.push({
      plain_ms: Number(plain.toFixed(1)),
      als_ms: Number(als.toFixed(1)),
      ratio: Number((als / plain).toFixed(2)),
    });
  }
  const ratio = median(rounds.map((round) => round.ratio));
  return {
    benchmark: 'async-context',
    command: `50,000 stand-in requests of 50 awaited steps, bare and inside AsyncLocalStorage.run, ${ROUNDS} rounds alternating`,
    node: process.version,
    rounds,
    ratio,
    targets: { 'AsyncLocalStorage costs at most 1.1x (cheap enough for the log context)': ratio <= 1.1 },
  };
}
