// Debian's Chromium driven by playwright-core (which downloads no browser of its own), headless, with the flags
// that keep it off the network: only pages on 127.0.0.1 are opened. Playwright's launch() gives each browser a
// new, empty profile in a temporary folder (its own --user-data-dir) and removes it on close.
import { chromium, type Browser } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CARDHSM_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (.ci/run does) or set CARDHSM_CHROMIUM`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
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
