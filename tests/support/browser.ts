import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { watchPage } from './accessibility.js';
import { repoRoot } from './paths.js';

// Debian's Chromium, never a downloaded browser. `pnpm test` installs it when missing.
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const artifactsDir = path.join(repoRoot, 'tests/artifacts');

export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: run \`pnpm test\` (it installs it) or apt-get install chromium.`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // Every page of every context gets axe-core once it settles on a new path (see accessibility.ts).
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.on('page', watchPage);
    return context;
  };
  return {
    browser,
    // Playwright gives every launch a fresh, temporary profile and removes it on close.
    close: () => browser.close(),
  };
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(artifactsDir, { recursive: true });
  return path.join(artifactsDir, `${name}.png`);
}
