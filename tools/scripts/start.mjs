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
// The launcher gets its own process group: a terminal's Ctrl-C must not hit the apps and PostgreSQL all at once
// (PostgreSQL would stop before metric-store has flushed). It is forwarded to the launcher, which stops them in order.
const launcher = spawn(process.execPath, [join(root, 'dist/tools/launcher/tools/launcher/src/main.js')], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
  detached: true,
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => launcher.kill(sig === 'SIGHUP' ? 'SIGTERM' : sig));
launcher.on('exit', (code) => process.exit(code ?? 0));
