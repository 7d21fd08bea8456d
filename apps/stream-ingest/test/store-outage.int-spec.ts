import { freePort, startNetdataChild, type NetdataAgent } from '@tributary/testing';
import { childSeries, LAB, series, sleep, Stack } from './support/stack';

/**
 * Issue 3 build item 7: metric-store goes down for 20 s while a real child streams. stream-ingest holds the data
 * (visible as buffered bytes), and delivers it when metric-store is back: no point of the outage is missing.
 */
const KEY = '6c6c6c6c-1111-4222-8333-444444444444';

jest.setTimeout(150000);

describe('metric-store outage', () => {
  let stack: Stack;
  let child: NetdataAgent | undefined;

  afterAll(async () => {
    await child?.stop(true).catch(() => undefined);
    await stack?.stop();
  });

  it('holds what arrives while metric-store is down and delivers it when it returns', async () => {
    stack = await Stack.start('ingest_outage', (port) => `[web]\n    default port = ${port}\n`, `[${KEY}]\n    enabled = yes\n`);
    const webPort = await freePort();
    child = await startNetdataChild('si-outage', `127.0.0.1:${stack.publicPort}`, KEY, { labDir: LAB, webPort });
    await sleep(10000);
    const downAt = Math.floor(Date.now() / 1000);
    let heldSeen = 0;
    const restarting = stack.restartStore(20000);
    for (let i = 0; i < 15; i++) {
      await sleep(1000);
      const st = await stack.status();
      heldSeen = Math.max(heldSeen, st.bufferedBytes);
      if (st.storeConnected === false && heldSeen > 0) break;
    }
    await restarting;
    await sleep(8000);
    expect(heldSeen).toBeGreaterThan(0);
    const st = await stack.status();
    expect(st.storeConnected).toBe(true);
    const c = st.children.find((x) => x.hostname === 'si-outage');
    expect(c?.online).toBe(true);
    const mine = await childSeries(webPort, 'system.cpu', 'user', -80);
    const stored = series(await stack.query({ host: child.guid, chart: 'system.cpu', after: -90, before: 0 }), 'user');
    const missing: number[] = [];
    const off: string[] = [];
    for (const [t, v] of mine) {
      if (t < downAt - 3 || t > downAt + 22) continue;
      const s = stored.get(t);
      if (s === undefined) missing.push(t);
      else if (Math.abs(s - v) > 0.01 + Math.abs(v) * 1e-4) off.push(`${t}: child ${v} stored ${s}`);
    }
    expect(off).toEqual([]);
    expect(missing).toEqual([]);
    expect(stack.ingestApp.output()).toMatch(/METRIC-STORE: connected to .*, resending [1-9]\d* held batches/);
  });
});
