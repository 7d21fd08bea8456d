// The README's stack (`npm start`) with three real Netdata 1.37 children (one over TLS): the API and the dashboard
// show them, and restarting metric-store, then stream-ingest, under load leaves no stored gap longer than the restart.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, NetdataAgent, startNetdataChild } from '@tributary/testing';
import { fetchData, filledTimes, longestGap } from './netdata-data.reader';
import { StackProcess } from './stack.process';
import { makeSelfSignedCert } from './tls.fixture';

const API_KEY = '5e2e1111-2222-4333-8444-555555555555';

async function portEnv(): Promise<Record<string, string>> {
  const names = [
    'TRIBUTARY_PORT', 'TRIBUTARY_WEB_API_PORT', 'TRIBUTARY_METRIC_STORE_GRPC_PORT', 'TRIBUTARY_STREAM_INGEST_GRPC_PORT',
    'TRIBUTARY_HEALTH_ENGINE_GRPC_PORT', 'TRIBUTARY_EXPORTER_GRPC_PORT', 'TRIBUTARY_METRIC_STORE_HEALTH_PORT',
    'TRIBUTARY_STREAM_INGEST_HEALTH_PORT', 'TRIBUTARY_HEALTH_ENGINE_HEALTH_PORT', 'TRIBUTARY_EXPORTER_HEALTH_PORT',
  ];
  const env: Record<string, string> = {};
  for (const n of names) env[n] = String(await freePort());
  return env;
}

async function waitUntil<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

interface InfoJson {
  mirrored_hosts: string[];
  mirrored_hosts_status: { hostname: string; reachable: boolean }[];
}

describe('full stack from npm start with real Netdata children', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-e2e-'));
  chmodSync(dir, 0o755);
  const labDir = join(dir, 'netdata-lab');
  const children: NetdataAgent[] = [];
  let stack: StackProcess;
  let base = '';
  const names = ['e2e-plain', 'e2e-ue2', 'e2e-tls'];

  beforeAll(async () => {
    const env = await portEnv();
    const port = Number(env['TRIBUTARY_PORT']);
    base = `http://127.0.0.1:${port}`;
    const configDir = join(dir, 'config');
    mkdirSync(configDir, { recursive: true });
    const tls = makeSelfSignedCert(join(configDir, 'ssl'));
    writeFileSync(
      join(configDir, 'netdata.conf'),
      `[web]\n    default port = ${port}\n    bind to = 127.0.0.1:${port}=dashboard|registry|badges|management|streaming|netdata.conf^SSL=optional\n` +
        `    ssl key = ${tls.key}\n    ssl certificate = ${tls.cert}\n`,
    );
    writeFileSync(join(configDir, 'stream.conf'), `[${API_KEY}]\n    enabled = yes\n    allow from = *\n    default memory mode = dbengine\n`);
    stack = new StackProcess({ ...env, TRIBUTARY_CONFIG_DIR: configDir, TRIBUTARY_DATA_DIR: join(dir, 'data') });
    await stack.start();
    const dest = `127.0.0.1:${port}`;
    children.push(await startNetdataChild(names[0] as string, dest, API_KEY, { labDir, reconnect: 2 }));
    children.push(await startNetdataChild(names[1] as string, dest, API_KEY, { labDir, reconnect: 2, updateEvery: 2, compression: false }));
    children.push(await startNetdataChild(names[2] as string, dest, API_KEY, { labDir, reconnect: 2, ssl: true }));
  }, 300_000);

  afterAll(async () => {
    for (const c of children) await c.stop(!process.env['E2E_KEEP_DIR']).catch(() => undefined);
    await stack?.stop();
    if (!process.env['E2E_KEEP_DIR']) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  async function allReachable(): Promise<true | undefined> {
    const info = (await (await fetch(`${base}/api/v1/info`)).json()) as InfoJson;
    const ok = names.every((n) => info.mirrored_hosts_status.some((h) => h.hostname === n && h.reachable));
    return ok ? true : undefined;
  }

  it('lists every child (plain, update every 2, TLS) as a reachable mirrored host on the public port', async () => {
    await waitUntil('3 reachable children', allReachable, 90_000);
  }, 120_000);

  it('serves the dashboard on the same public port', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/<html/i);
  });

  it('stores system.cpu of every child', async () => {
    for (const n of names) {
      const times = await waitUntil(`${n} system.cpu points`, async () => {
        const t = filledTimes(await fetchData(base, n, 'system.cpu', 60));
        return t.length >= 5 ? t : undefined;
      }, 60_000);
      expect(times.length).toBeGreaterThanOrEqual(5);
    }
  }, 200_000);

  it.each(['metric-store', 'stream-ingest'])('restarting %s under load leaves no stored gap longer than the restart', async (app) => {
    const killedAt = Math.floor(Date.now() / 1000);
    const mark = stack.output().length;
    process.kill(stack.appPid(app), 'SIGTERM');
    await stack.waitFor(new RegExp(`\\[launcher\\] ${app} started \\(pid \\d+\\)`), 60_000, mark);
    await waitUntil('children back', allReachable, 120_000);
    const backAt = Math.floor(Date.now() / 1000);
    const restartWindow = backAt - killedAt;
    // Let replication and the held batches land, then look at the stretch that spans the restart.
    await new Promise((r) => setTimeout(r, 15_000));
    for (const n of names) {
      const span = Math.floor(Date.now() / 1000) - killedAt + 30;
      const times = filledTimes(await fetchData(base, n, 'system.cpu', span)).filter((t) => t >= killedAt - 20);
      expect(times.length).toBeGreaterThan(10);
      const gap = longestGap(times);
      // update every 2 stores one point per 2 s; anything longer than the restart itself means data was lost.
      expect({ child: n, gap: gap.seconds, within: gap.seconds <= Math.max(restartWindow, 4) }).toEqual({
        child: n,
        gap: gap.seconds,
        within: true,
      });
    }
  }, 300_000);

  it('stops cleanly on Ctrl-C', async () => {
    await stack.stop();
    expect(stack.output()).toMatch(/\[metric-store\].*every hot page flushed/);
    expect(stack.output()).not.toMatch(/database system is shutting down/);
  }, 120_000);
});
