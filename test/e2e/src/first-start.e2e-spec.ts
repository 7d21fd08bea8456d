// A newcomer's first `npm start`: no config at all. The stack writes stream.conf with a new API key, serves the
// dashboard within 60 s, and a real child configured with the printed lines appears in the node list.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, NetdataAgent, startNetdataChild } from '@tributary/testing';
import { StackProcess } from './stack.process';

const INTERNAL_PORTS = [
  'TRIBUTARY_WEB_API_PORT', 'TRIBUTARY_METRIC_STORE_GRPC_PORT', 'TRIBUTARY_STREAM_INGEST_GRPC_PORT',
  'TRIBUTARY_HEALTH_ENGINE_GRPC_PORT', 'TRIBUTARY_EXPORTER_GRPC_PORT', 'TRIBUTARY_METRIC_STORE_HEALTH_PORT',
  'TRIBUTARY_STREAM_INGEST_HEALTH_PORT', 'TRIBUTARY_HEALTH_ENGINE_HEALTH_PORT', 'TRIBUTARY_EXPORTER_HEALTH_PORT',
];

describe('first npm start on an empty configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-first-'));
  chmodSync(dir, 0o755);
  let stack: StackProcess;
  let child: NetdataAgent | undefined;
  let port = 0;
  let startSeconds = 0;

  beforeAll(async () => {
    port = await freePort();
    const env: Record<string, string> = {
      TRIBUTARY_PORT: String(port),
      TRIBUTARY_CONFIG_DIR: join(dir, 'config'),
      TRIBUTARY_DATA_DIR: join(dir, 'data'),
    };
    for (const n of INTERNAL_PORTS) env[n] = String(await freePort());
    stack = new StackProcess(env);
    const t0 = Date.now();
    await stack.start();
    startSeconds = (Date.now() - t0) / 1000;
  }, 300_000);

  afterAll(async () => {
    await child?.stop(true).catch(() => undefined);
    await stack?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('serves the dashboard within 60 s of npm start', async () => {
    process.stdout.write(`npm start to "Tributary is running": ${startSeconds.toFixed(1)} s\n`);
    expect(startSeconds).toBeLessThan(60);
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<html/i);
  });

  it('wrote stream.conf with the printed API key, and a child using the printed lines appears in the node list', async () => {
    const out = stack.output();
    const key = out.match(/api key = ([0-9a-f-]{36})/)?.[1];
    const dest = out.match(/destination = [^:\s]+:(\d+)/)?.[1];
    expect(key).toBeDefined();
    expect(Number(dest)).toBe(port);
    expect(readFileSync(join(dir, 'config', 'stream.conf'), 'utf8')).toContain(`[${key}]`);
    // The printed destination names this machine's address; the lab's agents stream over loopback to the same port.
    child = await startNetdataChild('first-start-child', `127.0.0.1:${dest}`, key as string, { labDir: join(dir, 'lab') });
    const deadline = Date.now() + 60_000;
    let reachable = false;
    while (!reachable && Date.now() < deadline) {
      const info = (await (await fetch(`http://127.0.0.1:${port}/api/v1/info`)).json()) as {
        mirrored_hosts_status: { hostname: string; reachable: boolean }[];
      };
      reachable = info.mirrored_hosts_status.some((h) => h.hostname === 'first-start-child' && h.reachable);
      if (!reachable) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(reachable).toBe(true);
  }, 120_000);
});
