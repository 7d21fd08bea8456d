import { credentials, Metadata } from '@grpc/grpc-js';
import { ExporterClient, HealthEngineClient, MetricStoreClient } from '@tributary/protocol';
import { BENCH_KEY, startGenerator, startStack, stopStack, storeStatus, type Stack } from './launched-stack';
import { sampleTree } from './process-tree.stats';

/**
 * `npm run bench:topology`: a large topology rather than a high rate. The whole `npm start` stack (embedded
 * PostgreSQL) takes `--hosts` synthetic children × `--charts` charts × `--dims` dimensions at `--update-every`
 * seconds, and it prints: how long until every host and chart is in PostgreSQL, whether health-engine and the
 * exporter hold every host, then how long after a SIGKILL of metric-store every host has a point stored again, and
 * whether an alarm on a load-generator chart is evaluated again; the peak PSS of each app throughout.
 *   --hosts 1000 --charts 200 --dims 5 --update-every 10 --cores 2
 */
interface Args {
  hosts: number;
  charts: number;
  dims: number;
  updateEvery: number;
  cores: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { hosts: 1000, charts: 200, dims: 5, updateEvery: 10, cores: 2 };
  for (let i = 0; i < argv.length; i += 2) {
    const v = Number(argv[i + 1]);
    if (argv[i] === '--hosts') a.hosts = v;
    else if (argv[i] === '--charts') a.charts = v;
    else if (argv[i] === '--dims') a.dims = v;
    else if (argv[i] === '--update-every') a.updateEvery = v;
    else if (argv[i] === '--cores') a.cores = v;
  }
  return a;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const call = <T>(fn: (cb: (e: Error | null, r?: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => fn((e, r) => (e || r === undefined ? reject(e ?? new Error('no answer')) : resolve(r))));

/** Peak PSS (MiB) of each part of the stack, sampled every second while the bench runs. */
class PeakRss {
  readonly peak = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  start(stack: Stack): void {
    this.timer = setInterval(() => {
      for (const [part, s] of sampleTree(stack.launcher.pid as number)) {
        this.peak.set(part, Math.max(this.peak.get(part) ?? 0, s.pss / 1048576));
      }
    }, 1000);
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const charts = a.hosts * a.charts;
  // WARNING as soon as the first synthetic chart has data (its d0 values are positive): evaluated every 10 s.
  const health = `alarm: bench_topology\n    on: synthetic.chart0\nlookup: average -${3 * a.updateEvery}s of d0\n every: 10s\n  warn: $this > 0\n  info: bench\n`;
  // What metric-store and stream-ingest say about the restart, with its time after the kill.
  let killedAtMs = 0;
  const restart: string[] = [];
  /** when health-engine and the exporter subscribed again after the kill */
  const resubscribed = new Map<string, number>();
  const onLine = (l: string) => {
    const sub = /^\[(health-engine|exporter)\] .*subscribed to/.exec(l);
    if (killedAtMs && sub && !resubscribed.has(sub[1])) resubscribed.set(sub[1], Date.now());
    if (killedAtMs && restart.length < 40 && /metric-store\] .*(started|listening|journal|replay|loaded|back)|METRIC-STORE: |subscribed to/i.test(l)) {
      restart.push(`  +${((Date.now() - killedAtMs) / 1000).toFixed(1)} s ${l.replace(/\s+/g, ' ').slice(0, 180)}`);
    }
  };
  const stack = await startStack(a.cores >= 2 ? '0,1' : '0', { files: { 'health.d/bench.conf': health }, onLine });
  const rss = new PeakRss();
  rss.start(stack);
  const store = new MetricStoreClient(`127.0.0.1:${stack.storePort}`, credentials.createInsecure());
  const healthClient = new HealthEngineClient(`127.0.0.1:${stack.ports['TRIBUTARY_HEALTH_ENGINE_GRPC_PORT']}`, credentials.createInsecure());
  const exporter = new ExporterClient(`127.0.0.1:${stack.ports['TRIBUTARY_EXPORTER_GRPC_PORT']}`, credentials.createInsecure());
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    console.log(l);
  };
  try {
    const t0 = Date.now();
    const gen = startGenerator(undefined, [
      '--port', String(stack.port), '--key', BENCH_KEY, '--hosts', String(a.hosts), '--charts', String(a.charts), '--dims', String(a.dims),
      '--update-every', String(a.updateEvery), '--mode', 'realtime',
    ]);
    const connected = await gen.streaming;
    say(`${connected} hosts × ${a.charts} charts × ${a.dims} dims streaming after ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // Every chart in PostgreSQL, and both subscribers holding every host.
    let inDb = 0;
    let subscribed = 0;
    for (let s = 0; s < 600 && (inDb === 0 || subscribed === 0); s++) {
      const st = await storeStatus(store).catch(() => undefined);
      if (inDb === 0 && st && st.charts >= charts && st.topologyPending === 0) inDb = Date.now();
      const h = await call<{ hosts: number }>((cb) => healthClient.getHealthStatus({}, new Metadata(), { deadline: Date.now() + 10_000 }, cb)).catch(() => undefined);
      const x = await call<{ hosts: number }>((cb) => exporter.getExporterStatus({}, new Metadata(), { deadline: Date.now() + 10_000 }, cb)).catch(() => undefined);
      if (subscribed === 0 && (h?.hosts ?? 0) >= a.hosts && (x?.hosts ?? 0) >= a.hosts) subscribed = Date.now();
      if (s % 10 === 0) say(`  ${s} s: store ${st?.charts ?? '?'} charts, ${st?.topologyPending ?? '?'} queued for PostgreSQL; health ${h?.hosts ?? '?'} hosts, exporter ${x?.hosts ?? '?'} hosts`);
      await sleep(1000);
    }
    say(`all ${charts} charts in PostgreSQL ${inDb ? `${((inDb - t0) / 1000).toFixed(1)} s after the start` : 'NOT within 600 s'}`);
    say(`health-engine and exporter hold every host ${subscribed ? `${((subscribed - t0) / 1000).toFixed(1)} s after the start` : 'NOT within 600 s'}`);

    // SIGKILL metric-store: the launcher restarts it; every host must store points again.
    await sleep(3 * a.updateEvery * 1000);
    const killedMs = Date.now();
    killedAtMs = killedMs;
    const killedS = Math.floor(killedMs / 1000);
    process.kill(stack.pids.get('metric-store') as number, 'SIGKILL');
    say(`metric-store killed (SIGKILL) at ${new Date(killedMs).toISOString()}`);
    let allBack = 0;
    let lastBehind = a.hosts;
    for (let s = 0; s < 600 && allBack === 0; s++) {
      await sleep(1000);
      const hosts = await call<{ hosts: { lastEntryS: number; info?: { hostname: string } }[] }>((cb) =>
        store.listHosts({}, new Metadata(), { deadline: Date.now() + 10_000 }, cb),
      ).catch(() => undefined);
      if (!hosts) continue;
      const synthetic = hosts.hosts.filter((h) => h.info?.hostname.startsWith('synthetic-'));
      lastBehind = synthetic.filter((h) => h.lastEntryS <= killedS).length + Math.max(0, a.hosts - synthetic.length);
      if (lastBehind === 0) allBack = Date.now();
      else if (s % 10 === 0) say(`  ${s} s after the kill: ${lastBehind} hosts without a point since`);
    }
    say(`every host stored again ${allBack ? `${((allBack - killedMs) / 1000).toFixed(1)} s after the kill` : `NOT within 600 s (${lastBehind} behind)`}`);

    // The alarm is evaluated again after the restart (health-engine resubscribed and gets live points).
    let alarmBack = 0;
    for (let s = 0; s < 120 && alarmBack === 0; s++) {
      const r = await call<{ alarms: { status: string; lastUpdated: number }[] }>((cb) =>
        healthClient.listAlarms({ host: 'synthetic-0', all: true }, new Metadata(), { deadline: Date.now() + 10_000 }, cb),
      ).catch(() => undefined);
      const alarm = r?.alarms[0];
      if (alarm && alarm.status === 'WARNING' && alarm.lastUpdated > killedS + a.updateEvery) alarmBack = Date.now();
      else await sleep(1000);
    }
    say(`alarm on synthetic-0/synthetic.chart0 ${alarmBack ? `WARNING and evaluated again ${((alarmBack - killedMs) / 1000).toFixed(1)} s after the kill` : 'NOT evaluated again within 120 s'}`);
    for (const app of ['health-engine', 'exporter']) {
      const at = resubscribed.get(app);
      say(`${app} subscribed again ${at ? `${((at - killedMs) / 1000).toFixed(1)} s after the kill` : 'NOT (yet)'}`);
    }
    say(`the restart:\n${restart.join('\n')}`);
    rss.stop();
    say(`peak PSS (MiB): ${[...rss.peak].map(([p, m]) => `${p} ${m.toFixed(0)}`).join(', ')}`);
    const warnings = [...stack.warnings].sort((x, y) => y[1] - x[1]).slice(0, 8);
    if (warnings.length) say(`warnings:\n${warnings.map(([w, n]) => `  ${n} × ${w}`).join('\n')}`);
    gen.proc.kill('SIGTERM');
    if (!inDb || !subscribed || !allBack || !alarmBack || resubscribed.size < 2) process.exitCode = 1;
  } finally {
    rss.stop();
    store.close();
    healthClient.close();
    exporter.close();
    await stopStack(stack);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
