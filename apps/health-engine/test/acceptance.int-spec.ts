// Issue 7 acceptance: real Netdata 1.37 children -> stream-ingest -> metric-store -> health-engine (-> web-api).
// The test alarm reads the child's real system.cpu (a lookup that is NaN without real points, so it cannot pass on
// its own) and is switched WARNING -> CRITICAL -> clear by scripted time windows, because the real CPU load of a
// shared 2-core machine cannot be steered reliably.
import { credentials } from '@grpc/grpc-js';
import { Alarm, AlarmLogEntry, HealthEngineClient, ListHostsResponse, MetricStoreClient } from '@tributary/protocol';
import {
  createTestDatabase,
  resetNetdataLab,
  stackLayout,
  startNetdataChild,
  type NetdataAgent,
  type RunningApp,
  type TestDatabase,
} from '@tributary/testing';
import { acquireAppRunLock } from './app-run.lock';
import { call, waitFor } from './support/poll';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(180000);

const API_KEY = '7e7e7e7e-0000-4000-8000-000000000007';
const LAB = '/tmp/netdata-lab-health-engine';
// FROZEN and FROZEN_AUTO die without closing their connection (SIGSTOP: what a power loss or a cut network looks like
// from the parent); KILLED, CLEAN and AUTO end their process, so the kernel closes the socket either way.
const FROZEN = { name: 'acc-frozen', guid: '7a000000-0000-4000-8000-000000000001' };
const CLEAN = { name: 'acc-clean', guid: '7a000000-0000-4000-8000-000000000002' };
const AUTO = { name: 'acc-auto', guid: '7a000000-0000-4000-8000-000000000003' };
const KILLED = { name: 'acc-kill', guid: '7a000000-0000-4000-8000-000000000004' };
const FROZEN_AUTO = { name: 'acc-frozen-auto', guid: '7a000000-0000-4000-8000-000000000005' };
const ALL = [FROZEN, CLEAN, AUTO, KILLED, FROZEN_AUTO];
const IDLE_TIMEOUT_S = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('issue 7 acceptance: health checks of real children', () => {
  let db: TestDatabase;
  const apps: RunningApp[] = [];
  const children = new Map<string, NetdataAgent>();
  const dirs: string[] = [];
  let health: HealthEngineClient;
  let store: MetricStoreClient;
  let webPort = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  let release: (() => void) | undefined;
  const logs = () => apps.map((a) => `----- ${a.name}\n${a.output().slice(-3000)}`).join('\n');

  beforeAll(async () => {
    release = await acquireAppRunLock();
    // the alarms below start from a child without history: no database left by an interrupted run
    await resetNetdataLab(LAB);
    db = await createTestDatabase('health_acc');
    const configDir = mkdtempSync(join(tmpdir(), 'health-acc-conf-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'health-acc-data-'));
    dirs.push(configDir, dataDir);
    const stack = await stackLayout({ configDir, dataDir }, db.url, ['exporter']);
    const publicPort = stack.publicPort;
    webPort = stack.webPort;
    // stream-ingest loads Netdata's default [web] ssl key/certificate (CONFIG/ssl/*.pem) when present; give it a pair
    mkdirSync(join(configDir, 'ssl'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', join(configDir, 'ssl', 'key.pem'), '-out', join(configDir, 'ssl', 'cert.pem')], { stdio: 'ignore' });
    writeFileSync(join(configDir, 'netdata.conf'), `[global]\n    hostname = health-parent\n[web]\n    default port = ${publicPort}\n`);
    writeFileSync(
      join(configDir, 'stream.conf'),
      [
        '[stream]',
        `    timeout seconds = ${IDLE_TIMEOUT_S}`,
        `[${API_KEY}]`,
        '    enabled = yes',
        '    allow from = *',
        '    default memory mode = dbengine',
        '    health enabled by default = yes',
        `[${AUTO.guid}]`,
        '    enabled = yes',
        '    health enabled = auto',
        `[${FROZEN_AUTO.guid}]`,
        '    enabled = yes',
        '    health enabled = auto',
        '',
      ].join('\n'),
    );
    apps.push(await stack.start('metric-store'));
    apps.push(await stack.start('web-api'));
    apps.push(await stack.start('stream-ingest'));
    // The alarm windows are absolute times (health.d is read once at boot), far enough ahead for the children to
    // connect and stream first; the test checks that the alarm was CLEAR before the first window opened.
    const now = Math.floor(Date.now() / 1000);
    t1 = now + 35;
    t2 = now + 45;
    t3 = now + 55;
    mkdirSync(join(configDir, 'health.d'));
    writeFileSync(
      join(configDir, 'health.d', 'acceptance.conf'),
      ` template: acc_cpu
       on: system.cpu
   lookup: average -5s unaligned
    units: %
    every: 1s
     warn: $this >= 0 && $now >= ${t1} && $now < ${t3}
     crit: $this >= 0 && $now >= ${t2} && $now < ${t3}
     info: real CPU of the child, with scripted thresholds
       to: sysadmin

 template: acc_last_collected
       on: system.cpu
     calc: $now - $last_collected_t
    units: seconds ago
    every: 1s
     warn: $this > 5
     crit: $this > 10
     info: seconds since the child last sent system.cpu
`,
    );
    apps.push(await stack.start('health-engine'));
    health = new HealthEngineClient(`127.0.0.1:${stack.grpcPort['health-engine']}`, credentials.createInsecure());
    for (const c of ALL) {
      children.set(c.name, await startNetdataChild(c.name, `127.0.0.1:${publicPort}`, API_KEY, { guid: c.guid, labDir: LAB }));
    }
    store = new MetricStoreClient(`127.0.0.1:${stack.grpcPort['metric-store']}`, credentials.createInsecure());
    await waitFor(
      'the children online with system.cpu points in metric-store',
      async () => {
        const r = await call<ListHostsResponse>((cb) => store.listHosts({}, cb));
        const ok = ALL.every((c) => r.hosts.some((h) => h.info?.machineGuid === c.guid && h.online && h.lastEntryS > 0));
        return ok ? true : undefined;
      },
      60000,
      logs,
    );
  }, 540000);

  afterAll(async () => {
    try {
      for (const c of children.values()) await c.stop(true).catch(() => undefined);
      for (const a of apps.reverse()) await a.stop().catch(() => undefined);
      health?.close();
      store?.close();
      await db?.drop().catch(() => undefined);
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    } finally {
      release?.();
    }
  }, 60000);

  const alarmOf = async (host: string, name: string): Promise<Alarm | undefined> => {
    const r = await call<{ alarms: Alarm[] }>((cb) => health.listAlarms({ host, all: true }, cb));
    return r.alarms.find((a) => a.name === name);
  };
  const becomes = (host: string, name: string, status: string, ms: number) =>
    waitFor(`${host}/${name} ${status}`, async () => {
      const a = await alarmOf(host, name);
      return a?.status === status ? a : undefined;
    }, ms, logs);

  it('runs a system.cpu alarm on real data through WARNING and CRITICAL as configured, then clears it', async () => {
    const clear = await becomes(FROZEN.name, 'acc_cpu', 'CLEAR', 30000);
    expect(Math.floor(Date.now() / 1000)).toBeLessThan(t1); // else the stack was too slow to see the whole story
    expect(Number.isFinite(clear.value)).toBe(true);
    expect(clear.value).toBeGreaterThan(0);
    const warning = await becomes(FROZEN.name, 'acc_cpu', 'WARNING', 45000);
    expect(warning.lastStatusChange).toBeGreaterThanOrEqual(t1);
    expect(warning.lastStatusChange).toBeLessThan(t2);
    const critical = await becomes(FROZEN.name, 'acc_cpu', 'CRITICAL', 30000);
    expect(critical.lastStatusChange).toBeGreaterThanOrEqual(t2);
    await becomes(FROZEN.name, 'acc_cpu', 'CLEAR', 30000);

    const log = await call<{ entries: AlarmLogEntry[] }>((cb) => health.alarmLog({ host: FROZEN.name, after: 0 }, cb));
    const story = log.entries
      .filter((e) => e.name === 'acc_cpu')
      .reverse()
      .map((e) => e.status);
    expect(story).toEqual(['CLEAR', 'WARNING', 'CRITICAL', 'CLEAR']);

    // the stock alarms bound to the real charts too
    const all = await call<{ alarms: Alarm[] }>((cb) => health.listAlarms({ host: FROZEN.name, all: true }, cb));
    const names = new Set(all.alarms.map((a) => a.name));
    for (const n of ['10min_cpu_usage', 'ram_in_use', 'tributary_last_collected_secs']) expect(names).toContain(n);

    // web-api serves them in Netdata's shapes, also under /host/NAME/
    const res = await fetch(`http://127.0.0.1:${webPort}/host/${FROZEN.name}/api/v1/alarms?all`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { alarms: Record<string, { status: string; chart: string }> };
    expect(Object.values(body.alarms).some((a) => a.chart === 'system.cpu')).toBe(true);
    const logRes = await fetch(`http://127.0.0.1:${webPort}/host/${FROZEN.name}/api/v1/alarm_log`);
    expect(logRes.status).toBe(200);
    const logBody = (await logRes.json()) as { name: string; status: string }[];
    expect(logBody.filter((e) => e.name === 'acc_cpu').map((e) => e.status)).toEqual(['CLEAR', 'CRITICAL', 'WARNING', 'CLEAR']);
  });

  it('raises last_collected for a child that dies without closing its connection, also with auto; nothing after a process exit', async () => {
    const hostOnline = async (guid: string) =>
      (await call<ListHostsResponse>((cb) => store.listHosts({}, cb))).hosts.find((h) => h.info?.machineGuid === guid)?.online;
    for (const c of ALL) expect((await alarmOf(c.name, 'acc_last_collected'))?.status).toBe('CLEAR');
    await (children.get(CLEAN.name) as NetdataAgent).stop();
    await (children.get(AUTO.name) as NetdataAgent).stop();
    await (children.get(KILLED.name) as NetdataAgent).kill9();
    (children.get(FROZEN.name) as NetdataAgent).freeze();
    (children.get(FROZEN_AUTO.name) as NetdataAgent).freeze();
    const stoppedAt = Math.floor(Date.now() / 1000);

    // Silent but still connected: both frozen hosts raise, `auto` included (Netdata's streaming docs: auto "will still
    // trigger last_collected alarms, if a connected child does not exit gracefully").
    for (const c of [FROZEN, FROZEN_AUTO]) {
      const raised = await becomes(c.name, 'acc_last_collected', 'CRITICAL', 25000);
      expect(raised.value).toBeGreaterThan(10);
      expect(await hostOnline(c.guid)).toBe(true);
    }
    // An ended process closed its socket (a FIN, for SIGKILL as for a stop): nothing is raised, `auto` stops evaluating.
    await sleep(Math.max(0, (stoppedAt + 15) * 1000 - Date.now()));
    for (const c of [CLEAN, KILLED]) expect((await alarmOf(c.name, 'acc_last_collected'))?.status).toBe('CLEAR');
    const auto = (await alarmOf(AUTO.name, 'acc_last_collected')) as Alarm;
    expect(auto.status).toBe('CLEAR');
    expect(auto.active).toBe(false);
    expect(auto.lastUpdated).toBeLessThanOrEqual(stoppedAt + 1);

    // After `[stream] timeout seconds` of silence stream-ingest drops the frozen children as ungraceful: the
    // `health enabled = yes` host keeps being evaluated and stays CRITICAL; the `auto` one keeps its raised alarm,
    // no longer evaluated.
    await waitFor('the frozen children disconnected by the idle timeout', async () =>
      (await hostOnline(FROZEN.guid)) === false && (await hostOnline(FROZEN_AUTO.guid)) === false ? true : undefined, (IDLE_TIMEOUT_S + 20) * 1000, logs);
    const droppedAt = Math.floor(Date.now() / 1000);
    await sleep(5000);
    const frozen = (await alarmOf(FROZEN.name, 'acc_last_collected')) as Alarm;
    expect(frozen.status).toBe('CRITICAL');
    expect(frozen.lastUpdated).toBeGreaterThan(droppedAt + 2);
    const frozenAuto = (await alarmOf(FROZEN_AUTO.name, 'acc_last_collected')) as Alarm;
    expect(frozenAuto.status).toBe('CRITICAL');
    expect(frozenAuto.active).toBe(false);
    expect(frozenAuto.lastUpdated).toBeLessThanOrEqual(droppedAt + 1);
    // one raise in the log (WARNING, then CRITICAL once), not one per evaluation
    const log = await call<{ entries: AlarmLogEntry[] }>((cb) => health.alarmLog({ host: FROZEN.name, after: 0 }, cb));
    expect(log.entries.filter((e) => e.name === 'acc_last_collected' && e.status === 'CRITICAL')).toHaveLength(1);
  });
});
