import { freePort, startNetdataChild, type NetdataAgent } from '@tributary/testing';
import { childSeries, LAB, series, sleep, Stack } from './support/stack';

/**
 * Issue 3 acceptance: a real child killed (SIGKILL) and restarted 30 s later reconnects and replication sends what
 * the parent misses: every point the child has for the window is stored, with the child's values.
 */
const KEY = '6a6a6a6a-1111-4222-8333-444444444444';

jest.setTimeout(180000);

function compareWindow(mine: Map<number, number>, stored: Map<number, number>, from: number, to: number): { missing: number[]; off: string[]; compared: number } {
  const missing: number[] = [];
  const off: string[] = [];
  let compared = 0;
  for (const [t, v] of mine) {
    if (t < from || t > to) continue;
    const s = stored.get(t);
    if (s === undefined) missing.push(t);
    else {
      compared++;
      if (Math.abs(s - v) > 0.01 + Math.abs(v) * 1e-4) off.push(`${t}: child ${v} stored ${s}`);
    }
  }
  return { missing, off, compared };
}

describe('replication fills the gap of a child killed and restarted 30 s later', () => {
  let stack: Stack;
  let child: NetdataAgent | undefined;
  let webPort = 0;

  beforeAll(async () => {
    stack = await Stack.start('ingest_gap', (port) => `[web]\n    default port = ${port}\n`, `[${KEY}]\n    enabled = yes\n`);
    webPort = await freePort();
  });
  afterAll(async () => {
    await child?.stop(true).catch(() => undefined);
    await stack?.stop();
  });

  it('stores after the restart every point the child has since before the kill', async () => {
    const dest = `127.0.0.1:${stack.publicPort}`;
    child = await startNetdataChild('si-gap', dest, KEY, { labDir: LAB, webPort });
    const guid = child.guid;
    await sleep(15000);
    const beforeKill = series(await stack.query({ host: guid, chart: 'system.cpu', after: -60, before: 0 }), 'user');
    const lastBeforeKill = Math.max(...beforeKill.keys());
    await child.kill9();
    const killedAt = Math.floor(Date.now() / 1000);
    await sleep(30000);
    child = await startNetdataChild('si-gap', dest, KEY, { labDir: LAB, webPort });
    expect(child.guid).toBe(guid);
    // One line per connection once its first round of replication is done: the second one is the reconnect's.
    await stack.ingestApp.waitForOutput(
      /STREAM si-gap \[receive from [^\]]+\]:\d+\]: replication finished, \d+ points replayed[\s\S]*STREAM si-gap \[receive from [^\]]+\]:\d+\]: replication finished, \d+ points replayed/,
      60000,
    );
    await sleep(12000);
    const now = Math.floor(Date.now() / 1000);
    const mine = await childSeries(webPort, 'system.cpu', 'user', -120);
    const stored = series(await stack.query({ host: guid, chart: 'system.cpu', after: -130, before: 0 }), 'user');
    // The child has points before the kill and after its restart; the parent must have every one of them.
    const r = compareWindow(mine, stored, lastBeforeKill - 5, now - 3);
    expect(r.off).toEqual([]);
    expect(r.missing).toEqual([]);
    expect(r.compared).toBeGreaterThanOrEqual(8);
    const afterRestart = [...stored.keys()].filter((t) => t > killedAt + 30);
    expect(afterRestart.length).toBeGreaterThan(5);
    // A real child's replies keep to the windows asked of it: nothing refused, no clock ignored.
    expect(stack.ingestApp.output()).not.toMatch(/replayed points refused|implausible RSSTATE/);
  });
});
