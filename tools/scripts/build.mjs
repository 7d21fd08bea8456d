// Compiles one project and every lib it may import into dist/<projectRoot>/, mirroring the workspace tree,
// with @tributary/* aliases rewritten to relative paths so the output runs on plain Node without a loader.
import { transformFileSync } from '@swc/core';
import { cpSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const projectRoot = process.argv[2];
if (!projectRoot) {
  console.error('usage: build.mjs <projectRoot>');
  process.exit(2);
}
const finalRoot = join(root, 'dist', projectRoot);
// Built aside and swapped in at the end: a process running the previous build (a test's app) keeps a whole tree.
const outRoot = `${finalRoot}.building-${process.pid}`;
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
const tsPaths = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions.paths;
const paths = Object.fromEntries(Object.entries(tsPaths).map(([k, v]) => [k, v.map((p) => p.replace(/^\.\//, ''))]));
const skip = /\.(spec|int-spec|bench)\.ts$|\.d\.ts$/;

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

const sources = [join(root, projectRoot, 'src')];
for (const lib of readdirSync(join(root, 'libs'))) {
  const src = join(root, 'libs', lib, 'src');
  if (statSync(join(root, 'libs', lib)).isDirectory() && !sources.includes(src)) sources.push(src);
}
rmSync(outRoot, { recursive: true, force: true });
let count = 0;
for (const src of sources) {
  let files;
  try {
    files = walk(src, []);
  } catch {
    continue;
  }
  for (const file of files) {
    const rel = relative(root, file);
    const dest = join(outRoot, rel);
    mkdirSync(dirname(dest), { recursive: true });
    if (file.endsWith('.ts')) {
      if (skip.test(file)) continue;
      const jsDest = dest.replace(/\.ts$/, '.js');
      const { code, map } = transformFileSync(file, {
        ...swcrc,
        swcrc: false,
        filename: file,
        sourceFileName: relative(dirname(jsDest), file),
        jsc: { ...swcrc.jsc, baseUrl: root, paths },
      });
      writeFileSync(jsDest, code + `\n//# sourceMappingURL=${jsDest.split('/').pop()}.map\n`);
      if (map) writeFileSync(jsDest + '.map', map);
      count++;
    } else {
      cpSync(file, dest);
    }
  }
}
rmSync(finalRoot, { recursive: true, force: true });
renameSync(outRoot, finalRoot);
console.log(`built ${projectRoot}: ${count} modules -> ${relative(root, finalRoot)}`);
