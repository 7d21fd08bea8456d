import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The dashboard's own files: next to the compiled code in dist, or in src when run from sources (tests). */
export function dashboardAssetsDir(): string {
  return join(__dirname, '..', 'assets');
}

/** uPlot's dist directory, resolved through Node's module resolution so it works from src and from dist. */
export function uplotDistDir(): string {
  const pkg = require.resolve('uplot/package.json');
  const dist = join(dirname(pkg), 'dist');
  if (!existsSync(join(dist, 'uPlot.iife.min.js'))) throw new Error(`uPlot dist files not found in ${dist}`);
  return dist;
}
