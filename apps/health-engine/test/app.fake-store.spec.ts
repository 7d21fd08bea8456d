// The built health-engine app as a process, against a real PostgreSQL, a real exec hook and a real webhook
// receiver; metric-store is an in-process fake (see fake-metric-store.ts) so this runs without the other apps.
import { credentials } from '@grpc/grpc-js';
import { Alarm, AlarmLogEntry, HealthEngineClient } from '@tributary/protocol';
import { createTestDatabase, freePort, RunningApp, startApp, TestDatabase } from '@tributary/testing';
import { Client } from 'pg';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireAppRunLock } from './app-run.lock';
import { FAKE_GUID, FakeMetricStore } from './fake-metric-store';
import { call, waitFor } from './support/poll';

jest.setTimeout(120000);

describe('health-engine app (fake metric-store)', () => {
  let store: FakeMetricStore;
  let db: TestDatabase;
  let dir: string;
  let hook: Server;
  const hookBodies: Record<string, unknown>[] = [];
  let app: RunningApp | null = null;
  let client: HealthEngineClient;
  let env: Record<string, string>;
  let healthPort: number;
  let release: (() => void) | undefined;

  beforeAll(async () => {
    release = await acquireAppRunLock();
    store = new FakeMetricStore();
    await store.start();
    db = await createTestDatabase('health_engine');
    dir = mkdtempSync(join(tmpdir(), 'health-engine-it-'));
    mkdirSync(join(dir, 'config', 'health.d'), { recursive: true });
    const notify = join(dir, 'notify.sh');
    writeFileSync(notify, `#!/bin/sh\nprintf '%s|' "$#" "$@" >> ${join(dir, 'notify.log')}\necho >> ${join(dir, 'notify.log')}\n`);
    chmodSync(notify, 0o755);
    writeFileSync(
      join(dir, 'config', 'health.d', 'test.conf'),
      ` alarm: test_cpu_user
    on: system.cpu
lookup: average -2s unaligned of user
 every: 1s
 units: %
  warn: $this > 50
  crit: $this > 80
    to: ops
  exec: ${notify}
  info: user cpu in the last 2 seconds

 alarm: broken
    on: system.cpu
  calc: $this +* 2

 alarm: fake_backfill
    on: system.cpu
lookup: max -30s unaligned of user
 every: 1s
  warn: $this > 90

 alarm: fake_last_collected
    on: system.cpu
  calc: $now - $last_collected_t
 every: 1s
  warn: $this > 3
  crit: $this > 6
`,
    );
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hookBodies.push(JSON.parse(body) as Record<string, unknown>);
        res.end('ok');
      });
    });
    const hookPort = await freePort();
    await new Promise<void>((r) => hook.listen(hookPort, '127.0.0.1', () => r()));
    const grpcPort = await freePort();
    healthPort = await freePort();
    env = {
      DATABASE_URL: db.url,
      GRPC_LISTEN: `127.0.0.1:${grpcPort}`,
      HEALTH_PORT: String(healthPort),
      METRIC_STORE_ADDR: `127.0.0.1:${store.port}`,
      TRIBUTARY_CONFIG_DIR: join(dir, 'config'),
      TRIBUTARY_DATA_DIR: join(dir, 'data'),
      HEALTH_STOCK_ALARMS: 'no',
      HEALTH_WEBHOOK_URL: `http://127.0.0.1:${hookPort}/hook`,
    };
    client = new HealthEngineClient(`127.0.0.1:${grpcPort}`, credentials.createInsecure());
  }, 400000); // may wait for the other app test file (app-run.lock.ts)

  afterAll(async () => {
    try {
      await app?.stop();
      client?.close();
      await store?.stop();
      hook?.close();
      await db?.drop();
      rmSync(dir, { recursive: true, force: true });
    } finally {
      release?.();
    }
  });

  const alarm = async (): Promise<Alarm | undefined> => {
    const r = await call<{ alarms: Alarm[] }>((cb) => client.listAlarms({ host: 'fakechild', all: true }, cb));
    return r.alarms.find((a) => a.name === 'test_cpu_user');
  };
  const statusBecomes = (s: string) => waitFor(`status ${s}`, async () => ((await alarm())?.status === s ? true : undefined));

  it('reports a bad stanza with file:line and evaluates the good one through WARNING, CRITICAL and CLEAR', async () => {
    app = await startApp('health-engine', env, { healthPort });
    await app.waitForOutput(/health config .*test\.conf:12: broken: calc/);
    store.user = 10;
    await statusBecomes('CLEAR');
    store.user = 65;
    await statusBecomes('WARNING');
    store.user = 95;
    await statusBecomes('CRITICAL');
    store.user = 5;
    await statusBecomes('CLEAR');
    // the backfilled minute (user 99) reached the 30 s lookup although live points never went above 95
    const backfilled = await call<{ alarms: Alarm[] }>((cb) => client.listAlarms({ host: 'fakechild', all: true }, cb));
    expect(backfilled.alarms.find((x) => x.name === 'fake_backfill')?.status).toBe('WARNING');
    expect(store.queries[0]).toMatchObject({ host: FAKE_GUID, chart: 'system.cpu', before: 0, points: 0, group: 'none', guidOnly: true });
    expect(store.queries[0].after).toBeLessThanOrEqual(-30);
    const a = (await alarm()) as Alarm;
    expect(a).toMatchObject({ hostname: 'fakechild', chart: 'system.cpu', family: 'cpu', units: '%', recipient: 'ops', lookupMethod: 'average' });
    expect(a.value).toBeLessThanOrEqual(50);

    const log = await call<{ entries: AlarmLogEntry[] }>((cb) => client.alarmLog({ host: 'fakechild', after: 0 }, cb));
    const transitions = log.entries.filter((e) => e.name === 'test_cpu_user').map((e) => e.status);
    expect(transitions[0]).toBe('CLEAR');
    expect(transitions).toContain('WARNING');
    expect(transitions).toContain('CRITICAL');

    // webhook and exec hook: one notification per raised/cleared status, in order
    const cpuHooks = () => hookBodies.filter((b) => b.name === 'test_cpu_user');
    await waitFor('webhook CLEAR', async () => (cpuHooks().some((b) => b.status === 'CLEAR') ? true : undefined));
    const hooked = cpuHooks().map((b) => b.status);
    expect(hooked.slice(0, 2)).toEqual(['WARNING', 'CRITICAL']);
    expect(hooked[hooked.length - 1]).toBe('CLEAR');
    expect(cpuHooks()[0]).toMatchObject({ host: 'fakechild', chart: 'system.cpu', name: 'test_cpu_user', recipient: 'ops', old_status: 'CLEAR' });
    await waitFor('exec hook', async () => (existsSync(join(dir, 'notify.log')) && readFileSync(join(dir, 'notify.log'), 'utf8').includes('|CLEAR|') ? true : undefined));
    const lines = readFileSync(join(dir, 'notify.log'), 'utf8').trim().split('\n');
    const args = lines[0].split('|');
    expect(args[0]).toBe('29'); // alarm-notify.sh's argument count
    expect(args.slice(1, 3)).toEqual(['ops', 'fakechild']);
    expect(args[7]).toBe('test_cpu_user');
    expect(args[8]).toBe('system.cpu');
    expect(args[10]).toBe('WARNING');
    expect(app.output()).toMatch(/notification webhook fakechild\/system\.cpu\/test_cpu_user WARNING to 'ops': sent/);
    expect(app.output()).toMatch(/notification exec fakechild\/system\.cpu\/test_cpu_user CRITICAL to 'ops': sent/);
  });

  it('keeps the alarm log across a restart and stops cleanly on SIGTERM', async () => {
    const before = await call<{ entries: AlarmLogEntry[] }>((cb) => client.alarmLog({ host: '', after: 0 }, cb));
    expect(await (app as RunningApp).stop('SIGTERM')).toBe(0);
    app = await startApp('health-engine', env, { healthPort });
    await app.waitForOutput(/alarm log: \d+ entries restored/);
    const after = await call<{ entries: AlarmLogEntry[] }>((cb) => client.alarmLog({ host: FAKE_GUID, after: 0 }, cb));
    const ids = new Set(after.entries.map((e) => e.uniqueId));
    for (const e of before.entries) expect(ids.has(e.uniqueId)).toBe(true);
    const restored = after.entries.find((e) => e.uniqueId === before.entries[0].uniqueId) as AlarmLogEntry;
    expect(restored).toMatchObject({ status: before.entries[0].status, processed: true });
  });

  it('answers /livez and /readyz and GetHealthStatus', async () => {
    expect((await fetch(`http://127.0.0.1:${healthPort}/livez`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${healthPort}/readyz`)).status).toBe(200);
    const st = await call<{ hosts: number; alarms: number }>((cb) => client.getHealthStatus({}, cb));
    expect(st.hosts).toBe(1);
    expect(st.alarms).toBe(3);
  });

  it('raises last_collected when the child disconnects ungracefully (health enabled = yes)', async () => {
    const lc = async () => {
      const r = await call<{ alarms: Alarm[] }>((cb) => client.listAlarms({ host: 'fakechild', all: true }, cb));
      return r.alarms.find((a) => a.name === 'fake_last_collected');
    };
    await waitFor('fake_last_collected CLEAR', async () => ((await lc())?.status === 'CLEAR' ? true : undefined), 20000);
    store.disconnect(false);
    await waitFor('fake_last_collected CRITICAL', async () => ((await lc())?.status === 'CRITICAL' ? true : undefined), 20000);
    await (app as RunningApp).waitForOutput(/host fakechild: disconnected ungracefully \(socket error\), health running/);
  });

  it('waits for a database that is not there yet instead of dying, then becomes ready', async () => {
    const name = `health_late_${process.pid}_${Date.now()}`;
    const url = new URL(db.url);
    url.pathname = `/${name}`;
    const [grpcPort, port] = [await freePort(), await freePort()];
    const late = await startApp('health-engine', { ...env, DATABASE_URL: url.toString(), GRPC_LISTEN: `127.0.0.1:${grpcPort}`, HEALTH_PORT: String(port) });
    const admin = new Client({ connectionString: db.url });
    try {
      await late.waitForOutput(/database postgres:\/\/\*\*\*@.* not reachable \(.*does not exist.*\), retrying/);
      await waitFor('/readyz 503', async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 503 ? true : undefined));
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      await waitFor('/readyz 200', async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 ? true : undefined));
      expect(late.output()).toMatch(/migrations applied: AlarmLog1763900000000/);
    } finally {
      expect(await late.stop()).toBe(0);
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
      await admin.end().catch(() => undefined);
    }
  });
});
