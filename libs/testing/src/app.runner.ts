import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from './workspace';

export type AppName = 'stream-ingest' | 'metric-store' | 'health-engine' | 'exporter' | 'web-api';

export interface RunningApp {
  readonly name: AppName;
  readonly pid: number;
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM (graceful) by default; resolves with the exit code. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  kill(): Promise<void>;
}

export interface StartAppOptions {
  /** Port of the app's /readyz; startApp waits for 200 there. Omit to skip the wait. */
  healthPort?: number;
  readyPath?: string;
  timeoutMs?: number;
  /** Rebuild even if this process built the app already. */
  rebuild?: boolean;
}

const built = new Set<AppName>();

export function buildApp(app: AppName, force = false): void {
  if (built.has(app) && !force) return;
  const root = workspaceRoot();
  const r = spawnSync(process.execPath, [join(root, 'tools/scripts/build.mjs'), `apps/${app}`], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`build of ${app} failed:\n${r.stdout}\n${r.stderr}`);
  built.add(app);
}

export function appEntry(app: AppName): string {
  return join(workspaceRoot(), 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Builds (once per test process) and spawns an app as its own Node process, as it runs in production. */
export async function startApp(app: AppName, env: Record<string, string>, opts: StartAppOptions = {}): Promise<RunningApp> {
  buildApp(app, opts.rebuild);
  const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', appEntry(app)], {
    cwd: workspaceRoot(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (b: Buffer) => {
    out += b.toString('utf8');
    if (out.length > 4_000_000) out = out.slice(-2_000_000);
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code, sig) => {
      exitCode = code ?? (sig ? 128 : null);
      for (const w of waiters) w();
      r(exitCode);
    }),
  );

  const running: RunningApp = {
    name: app,
    pid: child.pid ?? -1,
    output: () => out,
    waitForOutput(pattern, timeoutMs = 30000) {
      return new Promise((resolveMatch, reject) => {
        const check = () => {
          const m = out.match(pattern);
          if (m) {
            done();
            resolveMatch(m);
          } else if (exitCode !== undefined) {
            done();
            reject(new Error(`${app} exited (${exitCode}) before printing ${pattern}:\n${out.slice(-4000)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${app}: no output matching ${pattern} within ${timeoutMs} ms:\n${out.slice(-4000)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20000) {
      if (exitCode !== undefined) return exitCode;
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
    async kill() {
      if (exitCode !== undefined) return;
      child.kill('SIGKILL');
      await exited;
    },
  };

  if (opts.healthPort) {
    const deadline = Date.now() + (opts.timeoutMs ?? 60000);
    const url = `http://127.0.0.1:${opts.healthPort}${opts.readyPath ?? '/readyz'}`;
    for (;;) {
      if (exitCode !== undefined) throw new Error(`${app} exited (${exitCode}) during start:\n${out.slice(-4000)}`);
      try {
        const res = await fetch(url);
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await running.kill();
        throw new Error(`${app} not ready at ${url} within ${opts.timeoutMs ?? 60000} ms:\n${out.slice(-4000)}`);
      }
      await sleep(200);
    }
  }
  return running;
}
