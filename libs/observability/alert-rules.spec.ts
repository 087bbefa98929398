import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { metricsRegistry } from './metrics.js';

const RULES = 'ops/prometheus/alerts.yml';
// npm test installs it (scripts/test-prerequisites.mjs), as it does the browser.
const PROMTOOL = '/usr/bin/promtool';

describe(`the alert rules in ${RULES}`, () => {
  it('pass promtool check rules', () => {
    let output: string;
    try {
      output = execFileSync(PROMTOOL, ['check', 'rules', RULES], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`promtool refused ${RULES}:\n${stdout ?? ''}${stderr ?? ''}`);
    }
    expect(output).toMatch(/SUCCESS: 6 rules found/);
  });

  it('name only metrics the service exports', async () => {
    const used = new Set(readFileSync(RULES, 'utf8').match(/\bpdd_[a-z_]+/g));
    const exported = new Set((await metricsRegistry.getMetricsAsJSON()).map((metric) => metric.name));
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
    expect(used.size).toBeGreaterThanOrEqual(6);
  });
});
