import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  freePort,
  stackLayout,
  startNetdataChild,
  type NetdataAgent,
  type RunningApp,
  type TestDatabase,
} from '@tributary/testing';
import { startPrometheus, startVictoria, vmExport, type Tsdb, type VmSeries } from './support/tsdb';

/**
 * Issue 8 acceptance: a real Netdata 1.37 child -> stream-ingest -> metric-store -> exporter -> real VictoriaMetrics
 * (graphite as collected, opentsdb average, opentsdb http sum, remote write) and real Prometheus (remote write, and a
 * scrape of web-api's /api/v1/allmetrics?format=prometheus). Every exported system.cpu value is recomputed from the
 * child's own /api/v1/data.
 */
const API_KEY = '8e8e8e8e-0000-4000-8000-000000000008';
const CHILD = 'exp-child';
const LAB = '/tmp/netdata-lab-exporter';

type Rows = Map<number, number>;

describe('issue 8 acceptance: real child to real TSDBs', () => {
  let vm: Tsdb;
  let prom: Tsdb;
  let db: TestDatabase;
  let child: NetdataAgent | undefined;
  let childWeb = 0;
  const apps: RunningApp[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    vm = startVictoria();
    db = await createTestDatabase('exporter');
    const configDir = mkdtempSync(join(tmpdir(), 'exporter-acc-conf-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'exporter-acc-data-'));
    dirs.push(configDir, dataDir);
    const stack = await stackLayout({ configDir, dataDir }, db.url, ['health-engine']);
    const { publicPort, webPort } = stack;
    const promPort = await freePort();
    childWeb = await freePort();
    // Netdata's default `[web] ssl key/certificate` live under the config dir; stream-ingest loads them when present.
    mkdirSync(join(configDir, 'ssl'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', join(configDir, 'ssl', 'key.pem'), '-out', join(configDir, 'ssl', 'cert.pem')], { stdio: 'ignore' });
    const v = vm.vars;
    writeFileSync(join(configDir, 'netdata.conf'), `[global]\n    hostname = exp-parent\n[web]\n    default port = ${publicPort}\n`);
    writeFileSync(join(configDir, 'stream.conf'), `[${API_KEY}]\n    enabled = yes\n    allow from = *\n    default memory mode = dbengine\n`);
    writeFileSync(
      join(configDir, 'exporting.conf'),
      [
        '[exporting:global]',
        '    enabled = yes',
        '    update every = 2',
        '    send charts matching = system.cpu',
        '[graphite:raw]',
        `    destination = 127.0.0.1:${v['VM_GRAPHITE_PORT']}`,
        '    data source = as collected',
        '    update every = 1',
        '[opentsdb:avg]',
        `    destination = 127.0.0.1:${v['VM_OPENTSDB_PORT']}`,
        '    prefix = avg',
        '[opentsdb:http:sum]',
        `    destination = 127.0.0.1:${v['VM_OPENTSDB_HTTP_PORT']}`,
        '    prefix = sum',
        '    data source = sum',
        '[prometheus_remote_write:vm]',
        `    destination = 127.0.0.1:${v['VM_HTTP_PORT']}`,
        '    remote write URL path = /api/v1/write',
        '[prometheus_remote_write:prom]',
        `    destination = 127.0.0.1:${promPort}`,
        '    remote write URL path = /api/v1/write',
        '    prefix = rw',
        '',
      ].join('\n'),
    );
    for (const app of ['metric-store', 'exporter', 'web-api', 'stream-ingest'] as const) apps.push(await stack.start(app));
    process.env['PROM_PORT'] = String(promPort);
    prom = startPrometheus([`http://127.0.0.1:${webPort}/host/${CHILD}/api/v1/allmetrics?format=prometheus&source=average&server=prom1`]);
    delete process.env['PROM_PORT'];
    child = await startNetdataChild(CHILD, `127.0.0.1:${publicPort}`, API_KEY, { webPort: childWeb, labDir: LAB });
    // Let every connector send several batches of live data.
    await new Promise((r) => setTimeout(r, Number(process.env['ACC_WAIT_MS'] ?? 25000)));
  }, 120000);

  afterAll(async () => {
    await child?.stop(true).catch(() => undefined);
    for (const a of apps.reverse()) await a.stop().catch(() => undefined);
    prom?.stop();
    vm?.stop();
    await db?.drop().catch(() => undefined);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }, 60000);

  /** The child's own per-second stored values of system.cpu `dim` (time -> value). */
  async function childData(dim: string): Promise<Rows> {
    const url = `http://127.0.0.1:${childWeb}/api/v1/data?chart=system.cpu&dimensions=${dim}&after=-120&before=0&points=0&group=average&format=json&options=seconds|unaligned`;
    const j = (await (await fetch(url)).json()) as { data: [number, number | null][] };
    const rows: Rows = new Map();
    for (const [t, v] of j.data) if (v !== null) rows.set(t, v);
    return rows;
  }

  const logs = () => apps.map((a) => `----- ${a.name}\n${a.output().slice(-2500)}`).join('\n');

  async function vmSeries(selector: string): Promise<VmSeries> {
    const s = await vmExport(vm.vars['VM_HTTP_PORT'], selector);
    if (s.length !== 1 || s[0].values.length < 3) throw new Error(`no series for ${selector}:\n${logs()}`);
    return s[0];
  }

  /** Compares each exported sample with the child's data; window = (previous exported timestamp, timestamp]. */
  function compare(samples: [number, number][], rows: Rows, mode: 'average' | 'sum'): number {
    samples.sort((a, b) => a[0] - b[0]);
    let checked = 0;
    // The first exported sample is skipped: it has no previous timestamp to open its window.
    for (let i = 1; i < samples.length; i++) {
      const [ts, value] = samples[i];
      let sum = 0;
      let n = 0;
      let complete = true;
      for (let t = samples[i - 1][0] + 1; t <= ts; t++) {
        const v = rows.get(t);
        if (v === undefined) complete = false;
        else {
          sum += v;
          n++;
        }
      }
      if (!complete || n === 0) continue;
      const expected = mode === 'sum' ? sum : sum / n;
      expect(Math.abs(value - expected)).toBeLessThan(0.01 + Math.abs(expected) * 1e-3);
      checked++;
    }
    return checked;
  }

  const pairs = (s: VmSeries): [number, number][] => s.timestamps.map((t, i) => [t / 1000, s.values[i]]);

  it('graphite, as collected: the raw system.cpu counters, whose deltas give the child\'s stored percentages', async () => {
    // system.cpu is percentage-of-incremental-row: the child stores 100 x delta(user) / delta(sum of every dimension)
    // between two collections. As collected, Netdata exports the raw jiffies counters themselves.
    const all = await vmExport(vm.vars['VM_HTTP_PORT'], `{__name__=~"netdata[.]${CHILD}[.]system[.]cpu[.].+"}`);
    const counters = new Map(all.map((s) => [s.metric['__name__'].split('.').pop() as string, new Map(pairs(s))]));
    expect([...counters.keys()].sort()).toEqual(['guest', 'guest_nice', 'idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user']);
    const user = counters.get('user') as Map<number, number>;
    const times = [...user.keys()].sort((a, b) => a - b);
    expect(times.length).toBeGreaterThanOrEqual(10);
    for (const series of counters.values()) {
      const values = [...series.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
      for (let i = 0; i < values.length; i++) {
        expect(Number.isInteger(values[i])).toBe(true);
        if (i > 0) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
      }
    }
    expect(user.get(times[times.length - 1])).toBeGreaterThan(1000); // a counter since boot, not a percentage
    const child = await childData('user');
    let checked = 0;
    for (let i = 1; i < times.length; i++) {
      const [t0, t1] = [times[i - 1], times[i]];
      const stored = child.get(t1);
      if (t1 - t0 !== 1 || stored === undefined) continue;
      let total = 0;
      let complete = true;
      for (const series of counters.values()) {
        const a = series.get(t0);
        const b = series.get(t1);
        if (a === undefined || b === undefined) complete = false;
        else total += b - a;
      }
      if (!complete || total === 0) continue;
      const percent = (100 * ((user.get(t1) as number) - (user.get(t0) as number))) / total;
      expect(Math.abs(percent - stored)).toBeLessThan(0.01 + Math.abs(stored) * 1e-3);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  it('opentsdb telnet, average: avg.system.cpu.user{host="exp-child"} matches window averages', async () => {
    const s = await vmSeries(`{__name__="avg.system.cpu.user",host="${CHILD}"}`);
    expect(compare(pairs(s), await childData('user'), 'average')).toBeGreaterThanOrEqual(3);
  });

  it('opentsdb http, sum: sum.system.cpu.system matches window sums', async () => {
    const s = await vmSeries(`{__name__="sum.system.cpu.system",host="${CHILD}"}`);
    expect(compare(pairs(s), await childData('system'), 'sum')).toBeGreaterThanOrEqual(3);
  });

  it('remote write to VictoriaMetrics: netdata_system_cpu_percentage_average', async () => {
    const s = await vmSeries(`{__name__="netdata_system_cpu_percentage_average",dimension="user",instance="${CHILD}"}`);
    expect(s.metric).toEqual({ __name__: 'netdata_system_cpu_percentage_average', chart: 'system.cpu', dimension: 'user', family: 'cpu', instance: CHILD });
    expect(compare(pairs(s), await childData('user'), 'average')).toBeGreaterThanOrEqual(3);
  });

  async function promRange(selector: string): Promise<[number, number][]> {
    const url = `${prom.vars['PROM_URL']}/api/v1/query?${new URLSearchParams({ query: `${selector}[5m]` })}`;
    const j = (await (await fetch(url)).json()) as { data: { result: { values: [number, string][] }[] } };
    if (j.data.result.length !== 1) throw new Error(`${selector}: ${JSON.stringify(j.data.result).slice(0, 500)}\n${logs()}`);
    return j.data.result[0].values.map(([t, v]) => [t, Number(v)]);
  }

  it('Prometheus remote write: rw_system_cpu_percentage_average matches window averages', async () => {
    const s = await promRange(`rw_system_cpu_percentage_average{dimension="user",instance="${CHILD}"}`);
    expect(compare(s, await childData('user'), 'average')).toBeGreaterThanOrEqual(3);
  });

  it('Prometheus scrape of /host/CHILD/api/v1/allmetrics?format=prometheus: averages since its last scrape', async () => {
    const s = await promRange('netdata_system_cpu_percentage_average{dimension="user",job="scrape0"}');
    expect(compare(s, await childData('user'), 'average')).toBeGreaterThanOrEqual(3);
  });
});
