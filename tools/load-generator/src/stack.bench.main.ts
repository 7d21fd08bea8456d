import { credentials } from '@grpc/grpc-js';
import { MetricStoreClient } from '@tributary/protocol';
import { BENCH_KEY as KEY, Generator, startGenerator, startStack, stopStack, storeStatus } from './launched-stack';
import { sampleTree } from './process-tree.stats';

/**
 * `npm run bench:stack`: the whole stack as `npm start` runs it (launcher, five apps, embedded PostgreSQL) pinned to
 * `--cores` cores, fed by the load generator (N hosts x 200 charts x 5 dims, 1 s updates, LZ4) on the other core.
 * For each load it prints, over the steady window: processed samples/s (what metric-store applied), whether the
 * stack kept up (the generator's backlog and the age of the newest point /api/v1/data answers), the API's latency,
 * CPU seconds per million samples for the tree and per app, and PSS per live dimension.
 *   --cores 1|2  --loads 150000,300000  --warm S  --measure S  --charts N --dims N  --assert (exit 1 when a run's
 *   processed rate falls below 80 % of the best 5 s window before it)
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A deadline for a race: it must not keep the process alive once the race is won. */
const deadline = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

interface Args {
  cores: number;
  loads: number[];
  warmS: number;
  measureS: number;
  charts: number;
  dims: number;
  assert: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { cores: 1, loads: [150_000, 300_000, 600_000, 1_000_000], warmS: 20, measureS: 30, charts: 200, dims: 5, assert: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--cores': a.cores = Number(v); break;
      case '--loads': a.loads = v.split(',').map(Number); break;
      case '--warm': a.warmS = Number(v); break;
      case '--measure': a.measureS = Number(v); break;
      case '--charts': a.charts = Number(v); break;
      case '--dims': a.dims = Number(v); break;
      case '--assert': a.assert = true; continue;
      default: continue;
    }
    i++;
  }
  return a;
}

/** The newest point of synthetic-0's first chart, and how long the API took to say so. */
async function probe(port: number): Promise<{ newestS: number; ms: number }> {
  const t0 = performance.now();
  try {
    const r = await fetch(`http://127.0.0.1:${port}/host/synthetic-0/api/v1/data?chart=synthetic.chart0&after=-30&points=0&format=json`, {
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await r.json()) as { data?: number[][] };
    const newest = Math.max(0, ...(body.data ?? []).map((row) => row[0]));
    return { newestS: newest, ms: performance.now() - t0 };
  } catch {
    return { newestS: 0, ms: performance.now() - t0 };
  }
}

interface RunResult {
  cores: number;
  load: number;
  hosts: number;
  dims: number;
  processed: number;
  minWindow: number;
  peakWindow: number;
  /** the lowest 5 s window as a fraction of the best window before it (1: it never fell) */
  fall: number;
  backlogS: number;
  staleS: number;
  apiP99Ms: number;
  cpuPerM: number;
  cpuPerMByPart: Map<string, number>;
  pssPerDim: number;
  pssIdleMiB: number;
  keptUp: boolean;
  /** processed samples of each second of the window */
  perSecond: number[];
  /** the stack's WARN/ERROR lines during the run, numbers blanked, with their counts */
  warnings: Map<string, number>;
}


async function run(a: Args, load: number): Promise<RunResult> {
  const stackCpus = a.cores >= 2 ? '0,1' : '0';
  const genCpus = a.cores >= 2 ? undefined : '1';
  const perHost = a.charts * a.dims;
  const hosts = Math.max(1, Math.round(load / perHost));
  const stack = await startStack(stackCpus);
  const client = new MetricStoreClient(`127.0.0.1:${stack.storePort}`, credentials.createInsecure());
  let gen: Generator | undefined;
  try {
    await sleep(5000);
    const idle = sampleTree(stack.launcher.pid as number);
    const pssIdle = [...idle.values()].reduce((n, p) => n + p.pss, 0);
    gen = startGenerator(genCpus, ['--port', String(stack.port), '--key', KEY, '--hosts', String(hosts), '--charts', String(a.charts), '--dims', String(a.dims), '--mode', 'realtime']);
    const connected = await Promise.race([gen.streaming, deadline(600_000).then(() => -1)]);
    if (connected < 0) throw new Error('children not streaming after 600 s');
    const written0 = (await storeStatus(client)).samplesWritten;
    const sent0 = gen.sent;
    await sleep(a.warmS * 1000);
    const cpu0 = sampleTree(stack.launcher.pid as number);
    const w0 = (await storeStatus(client)).samplesWritten;
    const t0 = Date.now();
    const perSecond: number[] = [];
    const apiMs: number[] = [];
    let stale = 0;
    let last = w0;
    // The API probe runs beside the sampling: a slow answer must not stretch the seconds the rate is measured over.
    let probing: Promise<void> | undefined;
    let lastAt = t0;
    while (Date.now() - t0 < a.measureS * 1000) {
      const tick = sleep(1000);
      // One probe at a time: a slow API is sampled less often, and its latency is what the table shows.
      probing ??= probe(stack.port).then((p) => {
        apiMs.push(p.ms);
        stale = p.newestS > 0 ? Date.now() / 1000 - p.newestS : Infinity;
        probing = undefined;
      });
      await tick;
      const w = (await storeStatus(client)).samplesWritten;
      const at = Date.now();
      perSecond.push(((w - last) * 1000) / (at - lastAt));
      last = w;
      lastAt = at;
    }
    await probing;
    const secs = (lastAt - t0) / 1000;
    const cpu1 = sampleTree(stack.launcher.pid as number);
    const processed = (last - w0) / secs;
    // 5-second windows: the 250 ms batching and the 1 s collections make single seconds noisy.
    const windows: number[] = [];
    for (let i = 0; i + 5 <= perSecond.length; i += 5) windows.push(perSecond.slice(i, i + 5).reduce((x, y) => x + y, 0) / 5);
    const cpuPerMByPart = new Map<string, number>();
    let cpuTotal = 0;
    for (const [part, v] of cpu1) {
      const d = v.cpu - (cpu0.get(part)?.cpu ?? 0);
      cpuTotal += d;
      cpuPerMByPart.set(part, (d / Math.max(1, last - w0)) * 1e6);
    }
    const pssNow = [...cpu1.values()].reduce((n, p) => n + p.pss, 0);
    const backlogS = (gen.sent - sent0 - (last - written0)) / load;
    apiMs.sort((x, y) => x - y);
    return {
      cores: a.cores, load, hosts, dims: hosts * perHost, processed,
      minWindow: Math.min(...windows), peakWindow: Math.max(...windows),
      fall: Math.min(...windows.map((w, i) => w / Math.max(...windows.slice(0, i + 1)))),
      backlogS, staleS: stale, apiP99Ms: apiMs[Math.min(apiMs.length - 1, Math.floor(apiMs.length * 0.99))],
      cpuPerM: (cpuTotal / Math.max(1, last - w0)) * 1e6, cpuPerMByPart,
      pssPerDim: (pssNow - pssIdle) / (hosts * perHost), pssIdleMiB: pssIdle / 1048576,
      keptUp: backlogS < 2 && stale < 2,
      perSecond,
      warnings: stack.warnings,
    };
  } finally {
    gen?.proc.kill('SIGTERM');
    client.close();
    await stopStack(stack);
  }
}

const PARTS = ['stream-ingest', 'metric-store', 'postgresql', 'health-engine', 'exporter', 'web-api'];

function row(r: RunResult): string {
  const k = (n: number) => `${Math.round(n / 1000)}k`;
  return [
    r.cores, k(r.load), r.hosts, k(r.processed), `${k(r.minWindow)}/${k(r.peakWindow)} (fall to ${Math.round(r.fall * 100)} %)`,
    `${r.keptUp ? 'yes' : 'no'} (backlog ${r.backlogS.toFixed(1)} s, newest ${Number.isFinite(r.staleS) ? r.staleS.toFixed(1) : '-'} s)`,
    r.apiP99Ms.toFixed(0), r.cpuPerM.toFixed(2), PARTS.map((p) => (r.cpuPerMByPart.get(p) ?? 0).toFixed(2)).join(' / '),
    `${(r.pssPerDim / 1024).toFixed(1)} KB`, r.pssIdleMiB.toFixed(0),
  ].join(' | ');
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const results: RunResult[] = [];
  const header =
    'cores | load/s | hosts | processed/s | 5 s min/peak | kept up | API p99 ms | CPU-s per 1M | per app (ingest / store / pg / health / exporter / web) | PSS per dim | PSS idle MiB';
  for (const load of a.loads) {
    const r = await run(a, load);
    results.push(r);
    console.log(`${header}\n${row(r)}`);
    console.log(`processed per second (k): ${r.perSecond.map((n) => Math.round(n / 1000)).join(' ')}`);
    const top = [...r.warnings].sort((x, y) => y[1] - x[1]).slice(0, 8);
    for (const [w, n] of top) console.log(`  ${n} x ${w}`);
  }
  console.log(`\nbench:stack (whole stack pinned to ${a.cores} core${a.cores > 1 ? 's' : ''}, ${a.charts} charts x ${a.dims} dims per host, 1 s updates, LZ4)`);
  console.log(header);
  console.log(header.replace(/[^|]/g, '-'));
  for (const r of results) console.log(row(r));
  const collapsed = results.filter((r) => r.fall < 0.8);
  if (a.assert && collapsed.length) {
    console.error(`processed rate fell below 80 % of its peak at ${collapsed.map((r) => r.load).join(', ')} samples/s`);
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
