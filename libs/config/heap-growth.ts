import { setFlagsFromString } from 'node:v8';
import type { AppConfig } from './app-config.js';

/**
 * Keeps the heap within HEAP_GROWTH_PERCENT of its live size: V8 then collects a little more often (measured:
 * no loss of create throughput) and the process stays within a container's memory instead of growing to
 * several times what it uses. V8 reads this factor at each full collection, so setting it at startup holds.
 */
export function applyHeapGrowth(config: AppConfig): void {
  if (config.HEAP_GROWTH_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${config.HEAP_GROWTH_PERCENT}`);
}
