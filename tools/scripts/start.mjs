// `npm start`: builds every app (cached by Nx) and runs the launcher, which supervises the whole stack.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules/nx/dist/bin/nx.js'), 'run-many', '-t', 'build', '-p', 'stream-ingest', 'metric-store',
    'health-engine', 'exporter', 'web-api', 'launcher', '--output-style=static'],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env },
);
if (build.status !== 0) process.exit(build.status ?? 1);
const launcher = spawn(process.execPath, [join(root, 'dist/tools/launcher/tools/launcher/src/main.js')], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
});
// Ctrl-C reaches the whole process group; the launcher handles it and stops the apps in order.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => undefined);
launcher.on('exit', (code) => process.exit(code ?? 0));
