import { performance } from 'node:perf_hooks';
import { call } from './http.js';
import { sleep } from './wait.js';

/** One probe of /health/ready: when it was sent (`performance.now()`), what it said, how long it took. */
export interface ReadinessProbe {
  at: number;
  status: number;
  message?: string;
  ms: number;
}

/**
 * Probes `${base}/health/ready` back to back (every `everyMs`) from now on. `until200()` keeps probing until an
 * answer is 200 after at least one was not (or `timeoutMs` passes), then stops and returns every probe.
 * A probe that does not answer within 5 s counts as status 0.
 */
export function watchReadiness(base: string, everyMs = 150, timeoutMs = 60_000) {
  const probes: ReadinessProbe[] = [];
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const at = performance.now();
      const answer = await call(`${base}/health/ready`, { signal: AbortSignal.timeout(5000) }).catch(() => ({
        status: 0,
        body: undefined,
      }));
      probes.push({ at, status: answer.status, message: answer.body?.message, ms: performance.now() - at });
      await sleep(everyMs);
    }
  })();
  return {
    async until200(): Promise<ReadinessProbe[]> {
      const started = performance.now();
      while (performance.now() - started < timeoutMs) {
        const firstDown = probes.findIndex((probe) => probe.status !== 200);
        if (firstDown >= 0 && probes.slice(firstDown).some((probe) => probe.status === 200)) break;
        await sleep(everyMs);
      }
      stop = true;
      await loop;
      return probes;
    },
  };
}
