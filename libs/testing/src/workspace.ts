import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The Nx workspace root (the folder holding nx.json), found from this file so tests run from any cwd. */
export function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`nx.json not found above ${__dirname}`);
    dir = up;
  }
  return dir;
}

/** ../shared beside the clone (real netdata agents, TSDBs), or TRIBUTARY_SHARED_DIR. */
export function sharedDir(): string {
  return process.env['TRIBUTARY_SHARED_DIR'] ?? resolve(workspaceRoot(), '..', 'shared');
}
