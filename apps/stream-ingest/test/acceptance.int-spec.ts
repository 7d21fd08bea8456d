import { randomUUID } from 'node:crypto';
import { freePort, startNetdataChild, type NetdataAgent } from '@tributary/testing';
import { childCharts, childSeries, LAB, series, sleep, Stack } from './support/stack';

/**
 * Issue 3 acceptance: three real Netdata 1.37 children (compressed, uncompressed, update every 2) stream into the
 * real stream-ingest and metric-store (PostgreSQL); everything they declare is stored and system.cpu / system.ram
 * match the children's own API. Children with a wrong key, a refused IP and a disabled machine GUID are refused
 * with Netdata's reply and log reason, and nothing of them is stored.
 */
const KEY = '5e5e5e5e-1111-4222-8333-444444444444';
const LOCAL_ONLY_FORBIDDEN_KEY = '5e5e5e5e-2222-4333-8444-555555555555';
const DISABLED_GUID = '5e5e5e5e-3333-4444-8555-666666666666';

jest.setTimeout(180000);

describe('issue 3 acceptance: real children into stream-ingest and metric-store', () => {
  let stack: Stack;
  const children: NetdataAgent[] = [];
  const web: Record<string, number> = {};

  beforeAll(async () => {
    stack = await Stack.start(
      'ingest_acc',
      (port) => `[web]\n    default port = ${port}\n`,
      [
        `[${KEY}]`, '    enabled = yes', '    allow from = localhost',
        `[${LOCAL_ONLY_FORBIDDEN_KEY}]`, '    enabled = yes', '    allow from = !localhost *',
        `[${DISABLED_GUID}]`, '    enabled = no', '',
      ].join('\n'),
    );
    const dest = `127.0.0.1:${stack.publicPort}`;
    for (const name of ['si-comp', 'si-plain', 'si-ue2']) web[name] = await freePort();
    children.push(
      ...(await Promise.all([
        startNetdataChild('si-comp', dest, KEY, { labDir: LAB, webPort: web['si-comp'] }),
        startNetdataChild('si-plain', dest, KEY, { labDir: LAB, webPort: web['si-plain'], compression: false }),
        startNetdataChild('si-ue2', dest, KEY, { labDir: LAB, webPort: web['si-ue2'], updateEvery: 2 }),
        startNetdataChild('si-badkey', dest, randomUUID(), { labDir: LAB }),
        startNetdataChild('si-badip', dest, LOCAL_ONLY_FORBIDDEN_KEY, { labDir: LAB }),
        startNetdataChild('si-disabled', dest, KEY, { labDir: LAB, guid: DISABLED_GUID }),
      ])),
    );
    await sleep(25000);
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop(true).catch(() => undefined)));
    await stack?.stop();
  });

  const child = (name: string) => children.find((c) => c.name === name) as NetdataAgent;

  it('streams all three, with the negotiated compression visible per host', async () => {
    const st = await stack.status();
    const byName = new Map(st.children.map((c) => [c.hostname, c]));
    expect(byName.get('si-comp')?.compression).toBe(true);
    expect(byName.get('si-comp')?.compressionRatio).toBeGreaterThan(2);
    expect(byName.get('si-plain')?.compression).toBe(false);
    expect(byName.get('si-ue2')?.compression).toBe(true);
    expect(stack.ingestApp.output()).toMatch(/STREAM si-comp \[receive from \[localhost\]:\d+\]: receiving metrics\.\.\./);
    expect(st.storeConnected).toBe(true);
  });

  it.each(['si-comp', 'si-plain', 'si-ue2'])('%s: every chart and dimension the child declares is stored', async (name) => {
    const declared = await childCharts(web[name]);
    await sleep(3000); // let the last batches land
    const stored = await stack.listCharts(child(name).guid);
    const storedMap = new Map(stored.charts.map((c) => [c.id, c.dimensions.map((d) => d.id)]));
    const missing: string[] = [];
    for (const [id, dims] of declared) {
      const s = storedMap.get(id);
      if (!s) missing.push(id);
      else for (const d of dims) if (!s.includes(d)) missing.push(`${id}/${d}`);
    }
    expect(declared.size).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it.each([
    ['si-comp', 'system.cpu', 'user'], ['si-comp', 'system.cpu', 'system'], ['si-comp', 'system.ram', 'used'],
    ['si-plain', 'system.cpu', 'user'], ['si-plain', 'system.ram', 'free'],
    ['si-ue2', 'system.cpu', 'user'], ['si-ue2', 'system.ram', 'used'],
  ])('%s: stored %s %s matches the child API', async (name, chart, dim) => {
    const mine = await childSeries(web[name], chart, dim, -60);
    // metric-store ends its every-slot grid at `before` itself (not aligned to update_every): ask with an even
    // absolute `before` so update-every-2 rows keep their slot times.
    const now = Math.floor(Date.now() / 1000);
    const before = now - (now % 2);
    const stored = series(await stack.query({ host: child(name).guid, chart, after: before - 70, before, points: 0 }), dim);
    let compared = 0;
    const off: string[] = [];
    for (const [t, v] of mine) {
      const s = stored.get(t);
      if (s === undefined) continue;
      compared++;
      if (Math.abs(s - v) > 0.01 + Math.abs(v) * 1e-4) off.push(`${t}: child ${v} stored ${s}`);
    }
    expect(off).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(name === 'si-ue2' ? 5 : 10);
    if (name === 'si-ue2') expect([...stored.keys()].every((t) => t % 2 === 0)).toBe(true);
  });

  it('refuses a wrong key, a refused IP and a disabled machine GUID with Netdata reasons; nothing of them is stored', async () => {
    const out = stack.ingestApp.output();
    expect(out).toMatch(/'ACCESS DENIED - KEY NOT ENABLED' host 'si-badkey'/);
    expect(out).toMatch(/API key '[0-9a-f-]{36}' is not allowed\. Forbidding access\./);
    expect(out).toMatch(/'ACCESS DENIED - KEY NOT ALLOWED FROM THIS IP' host 'si-badip'/);
    expect(out).toMatch(new RegExp(`API key '${LOCAL_ONLY_FORBIDDEN_KEY}' is not permitted from this IP\\. Forbidding access\\.`));
    expect(out).toMatch(/'ACCESS DENIED - MACHINE GUID NOT ENABLED' host 'si-disabled'/);
    expect(out).toMatch(new RegExp(`machine GUID '${DISABLED_GUID}' is not allowed\\. Forbidding access\\.`));
    const hosts = (await stack.listHosts()).hosts.map((h) => h.info?.hostname);
    expect(hosts).toEqual(expect.arrayContaining(['si-comp', 'si-plain', 'si-ue2']));
    for (const bad of ['si-badkey', 'si-badip', 'si-disabled']) expect(hosts).not.toContain(bad);
    // The child saw the denial text (it logs the parent's answer as a denial and postpones the destination).
    expect(child('si-badkey').errorLog()).toMatch(/denied|not permitted|permission/i);
  });
});
