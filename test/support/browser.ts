import { chromium, type Browser } from 'playwright-core';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

/** Headless Debian Chromium, as the dashboard and docs browser tests use it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
