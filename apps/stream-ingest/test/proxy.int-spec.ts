import { freePort, startNetdataChild, startNetdataParent, type NetdataAgent } from '@tributary/testing';
import { childSeries, LAB, sleep, Stack } from './support/stack';

/**
 * Proxy mode end to end: a real Netdata 1.37 child streams into Tributary (stream-ingest + metric-store), which
 * streams it on to a real Netdata 1.37 parent. The real parent must list the child two hops away, hold only the
 * charts `proxy send charts matching` lets through, and compute the child's own system.cpu values from what it
 * receives (raw collected values, as a Netdata proxy forwards them), over an LZ4-compressed link, and fill its own gap
 * after a restart through replication answered from metric-store.
 */
const KEY = '6f6f6f6f-1111-4222-8333-444444444444';
const NEXT_KEY = '6f6f6f6f-5555-4666-8777-888888888888';
const CHILD = 'px-leaf';

jest.setTimeout(180000);

interface Info {
  mirrored_hosts: string[];
  mirrored_hosts_status: { hostname?: string; guid: string; reachable: boolean; hops: number }[];
}

describe('proxy mode: a real child through Tributary to a real Netdata parent', () => {
  let stack: Stack;
  let next: NetdataAgent | undefined; // reassigned when it restarts
  let child: NetdataAgent | undefined;
  let nextPort = 0;
  let childWeb = 0;

  beforeAll(async () => {
    nextPort = await freePort();
    next = await startNetdataParent('px-next', nextPort, NEXT_KEY, { labDir: LAB });
    stack = await Stack.start(
      'ingest_proxy',
      (port) => `[web]\n    default port = ${port}\n`,
      [
        `[${KEY}]`,
        '    enabled = yes',
        '    allow from = localhost',
        '    default proxy enabled = yes',
        `    default proxy destination = tcp:127.0.0.1:${nextPort}`,
        `    default proxy api key = ${NEXT_KEY}`,
        '    default proxy send charts matching = system.* !*',
        '',
      ].join('\n'),
    );
    childWeb = await freePort();
    child = await startNetdataChild(CHILD, `127.0.0.1:${stack.publicPort}`, KEY, { labDir: LAB, webPort: childWeb });
    await sleep(25000);
  });

  afterAll(async () => {
    await child?.stop(true).catch(() => undefined);
    await stack?.stop();
    await next?.stop(true).catch(() => undefined);
  });

  it('the next parent lists the child two hops away, reachable', async () => {
    const info = (await (await fetch(`http://127.0.0.1:${nextPort}/api/v1/info`)).json()) as Info;
    expect(info.mirrored_hosts).toContain(CHILD);
    const st = info.mirrored_hosts_status.find((h) => h.guid === child?.guid);
    expect(st).toMatchObject({ reachable: true, hops: 2 });
    expect(stack.ingestApp.output()).toMatch(new RegExp(`STREAM ${CHILD} \\[send to tcp:127\\.0\\.0\\.1:${nextPort}\\]: established link with negotiated capabilities: VCAPS HLABELS CLAIM CLABELS COMPRESSION REPLICATION BINARY,`));
    const link = (await stack.status()).children.find((c) => c.hostname === CHILD);
    expect(link).toMatchObject({ proxyDestination: `tcp:127.0.0.1:${nextPort}`, proxyState: 'streaming', proxyConnects: 1, proxyLastError: '' });
    expect(link?.proxyBytesSent).toBeGreaterThan(10000);
  });

  it('holds only the charts `proxy send charts matching` lets through', async () => {
    const r = (await (await fetch(`http://127.0.0.1:${nextPort}/host/${CHILD}/api/v1/charts`)).json()) as { charts: Record<string, unknown> };
    const ids = Object.keys(r.charts);
    expect(ids).toContain('system.cpu');
    expect(ids.length).toBeGreaterThan(5);
    expect(ids.filter((id) => !id.startsWith('system.'))).toEqual([]);
    // the child itself has many more (apps, netdata, disk, ...): all stored by Tributary, not proxied
    const stored = await stack.listCharts(child?.guid as string);
    expect(stored.charts.filter((c) => !c.id.startsWith('system.')).length).toBeGreaterThan(20);
  });

  it('the next parent computes the child\'s own system.cpu from the forwarded collections', async () => {
    const url = `http://127.0.0.1:${nextPort}/host/${CHILD}/api/v1/data?chart=system.cpu&dimensions=user&after=-30&before=0&points=0&group=average&format=json&options=seconds|unaligned`;
    const j = (await (await fetch(url)).json()) as { data: [number, number | null][] };
    const own = await childSeries(childWeb, 'system.cpu', 'user', -60);
    let compared = 0;
    for (const [t, v] of j.data) {
      const mine = own.get(t);
      if (v === null || mine === undefined) continue;
      expect(Math.abs(v - mine)).toBeLessThan(0.01 + Math.abs(mine) * 1e-3);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(10);
  });

  it('fills the next parent\'s gap after it restarted: its REPLAY_CHART requests are answered from metric-store', async () => {
    await next?.stop(); // a clean stop: it keeps its database
    const downFrom = Math.floor(Date.now() / 1000);
    await sleep(15000);
    next = await startNetdataParent('px-next', nextPort, NEXT_KEY, { labDir: LAB });
    const upAt = Math.floor(Date.now() / 1000);
    const seen = stack.ingestApp.output().length;
    for (let i = 0; i < 60 && !/definitions sent, \d+ charts offered for replication/.test(stack.ingestApp.output().slice(seen)); i++) await sleep(500);
    await sleep(12000); // the replication and some live data after it
    const url = `http://127.0.0.1:${nextPort}/host/${CHILD}/api/v1/data?chart=system.cpu&dimensions=user&after=-90&before=0&points=0&group=average&format=json&options=seconds|unaligned`;
    const j = (await (await fetch(url)).json()) as { data: [number, number | null][] };
    const byTime = new Map(j.data);
    // every second the next parent was down is there now, with the child's own values
    const own = await childSeries(childWeb, 'system.cpu', 'user', -120);
    const missing: number[] = [];
    let compared = 0;
    for (let t = downFrom + 2; t <= upAt; t++) {
      const v = byTime.get(t);
      if (v === undefined || v === null) {
        missing.push(t);
        continue;
      }
      const mine = own.get(t);
      if (mine === undefined) continue;
      expect(Math.abs(v - mine)).toBeLessThan(0.01 + Math.abs(mine) * 1e-3);
      compared++;
    }
    expect(missing).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(10);
    const link = (await stack.status()).children.find((c) => c.hostname === CHILD);
    expect(link?.proxyState).toBe('streaming');
    expect(link?.proxyConnects).toBeGreaterThanOrEqual(2);
  });
});
