// Jest runs this project's app test files in parallel workers, and each worker's startApp() rebuilds
// dist/apps/health-engine (build.mjs deletes it first): one file's rebuild can pull the build from under the other's
// starting app. Each file that starts apps holds this lock from beforeAll to afterAll, so they take turns.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOCK = join(tmpdir(), 'tributary-health-engine-app-tests.lock');

function holderAlive(): boolean {
  try {
    const pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
    if (!pid) return true; // being written
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireAppRunLock(timeoutMs = 300000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch {
      // a holder that died without releasing does not block forever
      if (!holderAlive()) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`app-run lock ${LOCK} still held after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
