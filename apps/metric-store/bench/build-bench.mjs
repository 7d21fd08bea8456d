// Compiles bench/*.ts next to the app's build (tools/scripts/build.mjs compiles src/ only), same SWC settings,
// @tributary/* aliases rewritten, so the bench runs on plain Node: dist/apps/metric-store/apps/metric-store/bench/.
import { transformFileSync } from '@swc/core';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const here = dirname(new URL(import.meta.url).pathname);
const root = resolve(here, '../../..');
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
const tsPaths = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions.paths;
const paths = Object.fromEntries(Object.entries(tsPaths).map(([k, v]) => [k, v.map((p) => p.replace(/^\.\//, ''))]));
const outDir = join(root, 'dist/apps/metric-store/apps/metric-store/bench');
mkdirSync(outDir, { recursive: true });
for (const name of readdirSync(here)) {
  if (!name.endsWith('.ts')) continue;
  const file = join(here, name);
  const dest = join(outDir, name.replace(/\.ts$/, '.js'));
  const { code } = transformFileSync(file, {
    ...swcrc,
    swcrc: false,
    filename: file,
    sourceFileName: relative(dirname(dest), file),
    jsc: { ...swcrc.jsc, baseUrl: root, paths },
  });
  writeFileSync(dest, code);
}
console.log(`built bench -> ${relative(root, outDir)}`);
