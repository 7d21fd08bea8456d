import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { workspaceRoot } from '@tributary/testing';

export const CHROMIUM = '/usr/bin/chromium';

/** Headless Debian Chromium; a missing browser is a failure, not a skip. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is not installed: the dashboard browser tests need it`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export function artifactPath(name: string): string {
  const dir = join(workspaceRoot(), 'artifacts');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
