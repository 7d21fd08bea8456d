import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Metadata } from '@grpc/grpc-js';
import { MetricStoreClient, StoreStatus } from '@tributary/protocol';
import { freePort } from '@tributary/runtime';

/** The API key the benches' stacks accept and their load generators use. */
export const BENCH_KEY = '11111111-2222-3333-4444-555555555555';
const root = process.cwd();
/** A deadline for a race: it must not keep the process alive once the race is won. */
const deadline = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

export interface StackOptions {
  /** more files of the config dir, by path below it (`health.d/bench.conf`) */
  files?: Record<string, string>;
  /** every line the stack prints, as it arrives */
  onLine?: (line: string) => void;
}

/** The whole stack as `npm start` runs it (launcher, five apps, embedded PostgreSQL), pinned to `cpus`. */
export interface Stack {
  launcher: ChildProcess;
  port: number;
  storePort: number;
  dir: string;
  output: string[];
  warnings: Map<string, number>;
  /** every port the launcher was given, by its environment name */
  ports: Record<string, number>;
  /** each app's current pid, from the launcher's `NAME started (pid N)` lines */
  pids: Map<string, number>;
}

export async function startStack(cpus: string, opts: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-stack-'));
  const config = join(dir, 'config');
  mkdirSync(config, { recursive: true });
  writeFileSync(join(config, 'netdata.conf'), '[web]\n    bind to = 127.0.0.1\n');
  writeFileSync(join(config, 'stream.conf'), `[${BENCH_KEY}]\n    enabled = yes\n`);
  for (const [name, text] of Object.entries(opts.files ?? {})) {
    mkdirSync(join(config, name, '..'), { recursive: true });
    writeFileSync(join(config, name), text);
  }
  const names = ['TRIBUTARY_PORT', 'TRIBUTARY_WEB_API_PORT', 'TRIBUTARY_METRIC_STORE_GRPC_PORT', 'TRIBUTARY_STREAM_INGEST_GRPC_PORT',
    'TRIBUTARY_HEALTH_ENGINE_GRPC_PORT', 'TRIBUTARY_EXPORTER_GRPC_PORT', 'TRIBUTARY_METRIC_STORE_HEALTH_PORT',
    'TRIBUTARY_STREAM_INGEST_HEALTH_PORT', 'TRIBUTARY_HEALTH_ENGINE_HEALTH_PORT', 'TRIBUTARY_EXPORTER_HEALTH_PORT'];
  const env: Record<string, string> = {};
  for (const n of names) env[n] = String(await freePort());
  const base = { ...process.env };
  delete base['DATABASE_URL'];
  const launcher = spawn('taskset', ['-c', cpus, process.execPath, join(root, 'dist/tools/launcher/tools/launcher/src/main.js')], {
    env: { ...base, ...env, TRIBUTARY_CONFIG_DIR: config, TRIBUTARY_DATA_DIR: join(dir, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output: string[] = [];
  const warnings = new Map<string, number>();
  const ports = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, Number(v)]));
  const pids = new Map<string, number>();
  const stack: Stack = { launcher, port: ports['TRIBUTARY_PORT'], storePort: ports['TRIBUTARY_METRIC_STORE_GRPC_PORT'], dir, output, warnings, ports, pids };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stack not running after 180 s:\n${output.slice(-30).join('\n')}`)), 180_000);
    launcher.once('exit', (code) => reject(new Error(`launcher exited (${code}):\n${output.slice(-30).join('\n')}`)));
    for (const s of [launcher.stdout, launcher.stderr]) {
      if (!s) continue;
      createInterface({ input: s }).on('line', (l) => {
        output.push(l);
        countWarning(warnings, l);
        opts.onLine?.(l);
        const started = /\[launcher\] ([a-z-]+) started \(pid (\d+)\)/.exec(l);
        if (started) pids.set(started[1], Number(started[2]));
        if (output.length > 2000) output.splice(0, 1000);
        if (l.startsWith('Tributary is running')) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
  return stack;
}


export async function stopStack(s: Stack): Promise<void> {
  const exited = new Promise((r) => s.launcher.once('exit', r));
  try {
    process.kill(-(s.launcher.pid as number), 'SIGTERM');
  } catch {
    // gone already
  }
  await Promise.race([exited, deadline(60_000)]);
  try {
    process.kill(-(s.launcher.pid as number), 'SIGKILL');
  } catch {
    // stopped cleanly
  }
  rmSync(s.dir, { recursive: true, force: true });
}


/** The repo's load generator (load-generator.main.js), its progress as it reports it. */
export interface Generator {
  proc: ChildProcess;
  sent: number;
  closed: number;
  streaming: Promise<number>;
}


export function startGenerator(cpus: string | undefined, args: string[]): Generator {
  const entry = [process.execPath, join(__dirname, 'load-generator.main.js'), ...args];
  const proc = cpus ? spawn('taskset', ['-c', cpus, ...entry], { stdio: ['ignore', 'pipe', 'inherit'] }) : spawn(entry[0], entry.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  const g: Generator = { proc, sent: 0, closed: 0, streaming: Promise.resolve(0) };
  g.streaming = new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`load generator exited (${code})`)));
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (l) => {
      let o: { event: string; hosts?: number; sentSamples?: number; closed?: number; message?: string };
      try {
        o = JSON.parse(l);
      } catch {
        return;
      }
      if (o.event === 'streaming') resolve(o.hosts ?? 0);
      if (o.event === 'tick') {
        g.sent = o.sentSamples ?? 0;
        g.closed = o.closed ?? 0;
      }
      if (o.event === 'error') reject(new Error(`load generator: ${o.message}`));
    });
  });
  return g;
}


export function storeStatus(c: MetricStoreClient): Promise<StoreStatus> {
  return new Promise((resolve, reject) => c.getStatus({}, new Metadata(), { deadline: Date.now() + 30_000 }, (e, r) => (e ? reject(e) : resolve(r))));
}

/** Counts a WARN/ERROR line of the stack, numbers blanked so that repeats add up. */
export function countWarning(out: Map<string, number>, line: string): void {
  if (!/WARN|ERROR|refused|rejected|cut off/i.test(line)) return;
  const key = line.replace(/\d+/g, '#').replace(/\s+/g, ' ').slice(0, 160);
  out.set(key, (out.get(key) ?? 0) + 1);
}
