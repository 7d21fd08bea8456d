import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@tributary/runtime';
import { FastSink } from './fast-sink';

/**
 * `npm run bench:ingest`: the built stream-ingest process against synthetic children (tools/load-generator) and a
 * fast acknowledging metric-store. Prints samples/s sustained, CPU seconds per million samples (of the ingest
 * process only, from /proc) and memory per connected child.
 */
const KEY = '11111111-2222-3333-4444-555555555555';
const root = process.cwd();
const CLK_TCK = 100;

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface PhaseResult {
  name: string;
  samplesPerSecond: number;
  cpuPerMillion: number;
  cpuCores: number;
  rssMiB: number;
  memoryPerChildKiB: number;
  children: number;
}

async function startIngest(storePort: number): Promise<{ proc: ChildProcess; port: number; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  writeFileSync(join(dir, 'netdata.conf'), '[web]\n    bind to = 127.0.0.1\n');
  writeFileSync(join(dir, 'stream.conf'), `[${KEY}]\n    enabled = yes\n`);
  const [port, health, grpc] = [await freePort(), await freePort(), await freePort()];
  const proc = spawn(process.execPath, [join(root, 'dist/apps/stream-ingest/apps/stream-ingest/src/main.js')], {
    env: {
      ...process.env, TRIBUTARY_CONFIG_DIR: dir, TRIBUTARY_DATA_DIR: dir, TRIBUTARY_PORT: String(port), HEALTH_PORT: String(health),
      GRPC_LISTEN: `127.0.0.1:${grpc}`, METRIC_STORE_ADDR: `127.0.0.1:${storePort}`, WEB_API_URL: 'http://127.0.0.1:1',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${health}/readyz`)).status === 200) return { proc, port, dir };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error('stream-ingest did not become ready');
}

function startGenerator(args: string[], onLine: (o: { event: string; hosts?: number; message?: string }) => void): ChildProcess {
  const g = spawn(process.execPath, [join(__dirname, 'load-generator.main.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buf = '';
  g.stdout?.on('data', (b: Buffer) => {
    buf += b.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      try {
        onLine(JSON.parse(line) as { event: string });
      } catch {
        // not JSON
      }
    }
  });
  return g;
}

async function phase(name: string, genArgs: string[], warmMs: number, measureMs: number): Promise<PhaseResult> {
  const sink = new FastSink();
  const storePort = await sink.start();
  const ingest = await startIngest(storePort);
  const pid = ingest.proc.pid as number;
  await sleep(1000);
  const rssBase = rssBytes(pid);
  let hosts = 0;
  let streaming: () => void = () => undefined;
  const ready = new Promise<void>((r) => (streaming = r));
  const gen = startGenerator(['--port', String(ingest.port), '--key', KEY, ...genArgs], (o) => {
    if (o.event === 'streaming') {
      hosts = o.hosts ?? 0;
      streaming();
    }
    if (o.event === 'error') console.error(`load generator: ${o.message}`);
  });
  try {
    await ready;
    await sleep(warmMs);
    const rows0 = sink.rows;
    const cpu0 = cpuSeconds(pid);
    const t0 = Date.now();
    await sleep(measureMs);
    const rows = sink.rows - rows0;
    const cpu = cpuSeconds(pid) - cpu0;
    const secs = (Date.now() - t0) / 1000;
    const rss = rssBytes(pid);
    return {
      name,
      samplesPerSecond: rows / secs,
      cpuPerMillion: rows > 0 ? cpu / (rows / 1e6) : NaN,
      cpuCores: cpu / secs,
      rssMiB: rss / 1048576,
      memoryPerChildKiB: (rss - rssBase) / 1024 / Math.max(1, hosts),
      children: hosts,
    };
  } finally {
    gen.kill('SIGTERM');
    ingest.proc.kill('SIGTERM');
    await new Promise((r) => ingest.proc.once('exit', r));
    sink.stop();
    rmSync(ingest.dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const results: PhaseResult[] = [];
  const m = quick ? 5000 : 10000;
  results.push(await phase('flood, LZ4, 20 children x 1000 dims', ['--mode', 'flood', '--hosts', '20', '--charts', '10', '--dims', '100'], 4000, m));
  results.push(await phase('flood, plain, 20 children x 1000 dims', ['--mode', 'flood', '--hosts', '20', '--charts', '10', '--dims', '100', '--no-compression'], 4000, m));
  results.push(await phase('1 s updates, LZ4, 1000 children x 100 dims', ['--mode', 'realtime', '--hosts', '1000', '--charts', '1', '--dims', '100'], 8000, m));
  console.log('\nstream-ingest benchmark (ingest process only; fast acknowledging metric-store)');
  console.log('phase | children | samples/s | CPU s per 1M samples | CPU cores | RSS MiB | memory per child KiB');
  for (const r of results) {
    console.log(
      `${r.name} | ${r.children} | ${Math.round(r.samplesPerSecond).toLocaleString('en-US')} | ${r.cpuPerMillion.toFixed(2)} | ${r.cpuCores.toFixed(2)} | ${r.rssMiB.toFixed(0)} | ${r.memoryPerChildKiB.toFixed(0)}`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
