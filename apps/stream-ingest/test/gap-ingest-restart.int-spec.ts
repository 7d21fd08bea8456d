import { freePort, startNetdataChild, type NetdataAgent } from '@tributary/testing';
import { childSeries, LAB, series, sleep, Stack } from './support/stack';

/**
 * The same gap seen from the other side: the child keeps collecting while stream-ingest is down for 30 s. When it
 * reconnects, the request starts at metric-store's last stored point and the 30 s are replayed from the child's db.
 */
const KEY = '6b6b6b6b-1111-4222-8333-444444444444';

jest.setTimeout(180000);

describe('replication fills 30 s of stream-ingest downtime from the child database', () => {
  let stack: Stack;
  let child: NetdataAgent | undefined;

  afterAll(async () => {
    await child?.stop(true).catch(() => undefined);
    await stack?.stop();
  });

  it('has every point of the child for the downtime window', async () => {
    stack = await Stack.start('ingest_gap2', (port) => `[web]\n    default port = ${port}\n`, `[${KEY}]\n    enabled = yes\n`);
    const webPort = await freePort();
    child = await startNetdataChild('si-gap2', `127.0.0.1:${stack.publicPort}`, KEY, { labDir: LAB, webPort, reconnect: 1 });
    await sleep(12000);
    const downAt = Math.floor(Date.now() / 1000);
    await stack.restartIngest(30000);
    await stack.ingestApp.waitForOutput(/STREAM si-gap2 \[receive from [^\]]+\]:\d+\]: replication finished, \d+ points replayed/, 90000);
    // Replication of every chart takes a few seconds after the first round: poll until the window is complete.
    let mine = new Map<number, number>();
    let missing: number[] = [];
    let off: string[] = [];
    for (let attempt = 0; attempt < 15; attempt++) {
      await sleep(2000);
      mine = await childSeries(webPort, 'system.cpu', 'user', -100);
      const stored = series(await stack.query({ host: child.guid, chart: 'system.cpu', after: -110, before: 0 }), 'user');
      missing = [];
      off = [];
      for (const [t, v] of mine) {
        if (t < downAt - 5 || t > downAt + 30) continue;
        const s = stored.get(t);
        if (s === undefined) missing.push(t);
        else if (Math.abs(s - v) > 0.01 + Math.abs(v) * 1e-4) off.push(`${t}: child ${v} stored ${s}`);
      }
      if (missing.length === 0) break;
    }
    expect(off).toEqual([]);
    expect(missing).toEqual([]);
    expect([...mine.keys()].filter((t) => t > downAt && t <= downAt + 30).length).toBeGreaterThanOrEqual(25);
  });
});
