// Compiles the bench next to the already built lib in dist/ (build.mjs compiles src/ only) and runs it.
import { transformFileSync } from '@swc/core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../../..');
const src = join(root, 'libs/simple-patterns/bench/patterns.bench.ts');
const out = join(root, 'dist/libs/simple-patterns/libs/simple-patterns/bench/patterns.bench.js');
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
const { code } = transformFileSync(src, { ...swcrc, swcrc: false, filename: src, module: { type: 'commonjs' } });
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, code);
const r = spawnSync(process.execPath, [out], { stdio: 'inherit' });
process.exit(r.status ?? 1);
