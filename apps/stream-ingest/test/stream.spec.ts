import { randomUUID } from 'node:crypto';
import { connect, createServer as createNetServer } from 'node:net';
import {
  serializeChart, serializeChartDefinitionEnd, serializeDimension, serializeRBeginChart, serializeRBeginPoint, serializeREnd, serializeRSet,
  serializeRDState, serializeRSState,
} from '@tributary/protocol';
import { FakeMetricStore } from './fake-metric-store';
import { Harness, startIngest } from './ingest.harness';
import { ScriptedChild, until } from './scripted-child';

function define(chart: string, dims: [string, string, number, number][], ue = 1): string {
  let s = serializeChart({ id: chart, title: 't', units: 'u', family: 'f', context: chart, chartType: 'line', priority: 1, updateEvery: ue });
  for (const [id, alg, mul, div] of dims) s += serializeDimension({ id, algorithm: alg, multiplier: mul, divisor: div });
  return s;
}

function block(chart: string, us: number, sets: [string, number][]): string {
  return `BEGIN "${chart}" ${us}\n${sets.map(([d, v]) => `SET "${d}" = ${v}\n`).join('')}END\n`;
}

describe.each([true, false])('streaming (compressed=%s)', (compress) => {
  let store: FakeMetricStore;
  let h: Harness;

  beforeAll(async () => {
    store = new FakeMetricStore();
    h = await startIngest({ storePort: await store.start() });
  });
  afterAll(async () => {
    await h.stop();
    await store.stop();
  });

  it('answers CHART_DEFINITION_END with REPLAY_CHART, stores replayed points, then live values as Netdata computes them', async () => {
    const guid = randomUUID();
    const c = await ScriptedChild.connect(h.port, { guid, compress });
    expect(c.compressed).toBe(compress);
    const now = Math.floor(Date.now() / 1000);
    c.send(define('test.abs', [['a', 'absolute', 1, 100], ['i', 'incremental', 1, 1]]) + serializeChartDefinitionEnd(now - 100, now - 1, now));
    await c.until(() => c.received.includes('REPLAY_CHART'));
    // Nothing stored for this host yet: the request starts at child_first (within `seconds to replicate`).
    expect(c.received).toMatch(new RegExp(`^REPLAY_CHART "test.abs" "true" ${now - 100} ${now - 1}\\n$`));
    c.send(
      serializeRBeginChart('test.abs') +
        serializeRBeginPoint(now - 3, now - 2, now) + serializeRSet('a', 1.5) + serializeRSet('i', NaN, 'E') +
        serializeRBeginPoint(now - 2, now - 1, now) + serializeRSet('a', 2.5) + serializeRSet('i', 7, 'R') +
        serializeRDState('a', 0, 250, 2.5, 2.5) + serializeRDState('i', 0, 1000, 0, 7) +
        serializeRSState((now - 1) * 1e6, (now - 1) * 1e6) +
        serializeREnd(1, now - 100, now - 1, true, now - 100, now - 1, now),
    );
    c.send(block('test.abs', 1_000_000, [['a', 300], ['i', 1250]]) + block('test.abs', 1_000_000, [['a', 400], ['i', 1500]]));
    await until(() => store.pointsOf(guid, 'test.abs', 'a').length >= 4, 10000, 'stored points');
    const a = store.pointsOf(guid, 'test.abs', 'a');
    const i = store.pointsOf(guid, 'test.abs', 'i');
    expect(a.slice(0, 2).map((p) => [p.timeS, p.value])).toEqual([[now - 2, 1.5], [now - 1, 2.5]]);
    expect(Number.isNaN(i[0].value)).toBe(true);
    expect(i[1].flags).toBe(1);
    expect(a.slice(2).map((p) => [p.timeS, p.value])).toEqual([[now, 3], [now + 1, 4]]);
    expect(i.slice(2).map((p) => p.value)).toEqual([250, 250]);
    expect(store.hosts.get(guid)?.hostname).toBe('scripted');
    expect(store.errors).toEqual([]);
    c.close();
  });

  it('asks again after REND false, from the previous before, and fills a gap from the last stored point', async () => {
    const guid = randomUUID();
    const c = await ScriptedChild.connect(h.port, { guid, compress });
    const now = Math.floor(Date.now() / 1000);
    c.send(define('test.gap', [['x', 'absolute', 1, 1]]) + serializeChartDefinitionEnd(now - 5000, now, now));
    await c.until(() => c.received.includes('REPLAY_CHART'));
    // The child has 5000 s; this parent keeps 3600 s (the default retention): it asks for no more.
    expect(c.received).toBe(`REPLAY_CHART "test.gap" "false" ${now - 3600} ${now - 3000}\n`);
    c.received = '';
    c.send(serializeRBeginChart('test.gap') + serializeRBeginPoint(now - 3001, now - 3000, now) + serializeRSet('x', 1) + serializeREnd(1, now - 5000, now, false, now - 3600, now - 3000, now));
    await c.until(() => c.received.includes('REPLAY_CHART'));
    expect(c.received).toBe(`REPLAY_CHART "test.gap" "false" ${now - 3000} ${now - 2400}\n`);
    c.received = '';
    c.send(serializeRBeginChart('test.gap') + serializeREnd(1, now - 5000, now, true, 0, 0, now));
    await until(() => store.pointsOf(guid, 'test.gap').length >= 1, 10000, 'replayed point');
    c.close();
    await until(() => store.states.some((s) => s.machineGuid === guid && !s.connected), 10000, 'disconnected state');

    // Reconnect: the request starts where the store's data ends.
    const again = await ScriptedChild.connect(h.port, { guid, compress });
    again.send(define('test.gap', [['x', 'absolute', 1, 1]]) + serializeChartDefinitionEnd(now - 5000, now + 1, now + 1));
    await again.until(() => again.received.includes('REPLAY_CHART'));
    expect(again.received).toBe(`REPLAY_CHART "test.gap" "false" ${now - 3000} ${now - 2400}\n`);
    again.close();
  });

  it('holds a reply to what was asked: points outside the window, beyond retention, ahead of the clock or repeated are refused', async () => {
    const guid = randomUUID();
    const c = await ScriptedChild.connect(h.port, { guid, compress, hostname: 'replay-window' });
    const now = Math.floor(Date.now() / 1000);
    c.send(define('rw.c', [['x', 'absolute', 1, 1]]) + serializeChartDefinitionEnd(now - 100, now - 1, now));
    await c.until(() => c.received.includes('REPLAY_CHART'));
    expect(c.received).toBe(`REPLAY_CHART "rw.c" "true" ${now - 100} ${now - 1}\n`);
    const point = (end: number, v: number, wall = now) => serializeRBeginPoint(end - 1, end, wall) + serializeRSet('x', v);
    c.send(
      serializeRBeginChart('rw.c') +
        point(now - 50, 1) + point(now - 50, 2) + point(now - 40, 3) + point(now - 45, 4) + // repeated, then backwards
        point(now - 200, 5) + // before the window
        point(now - 7200, 6) + // beyond retention
        point(now + 86_400 * 365 * 100, 7, now + 86_400 * 365 * 100) + // a century ahead, by its own wall clock
        point(now - 30, 8) +
        serializeRSState((now - 1) * 1e6, (now - 1) * 1e6) + serializeREnd(1, now - 100, now - 1, true, now - 100, now - 1, now),
    );
    await h.logs.waitFor(/STREAM replay-window .*chart 'rw.c': 5 replayed points refused \(first: not increasing; asked \d+ to now; retention 3600 s\)/);
    await until(() => store.pointsOf(guid, 'rw.c').length >= 3, 10000, 'accepted points');
    expect(store.pointsOf(guid, 'rw.c').map((p) => [p.timeS, p.value])).toEqual([[now - 50, 1], [now - 40, 3], [now - 30, 8]]);
    expect(c.closed).toBe(false);
    c.close();
  });

  it('ignores RSSTATE clocks decades apart (the replication bomb) and a REND nobody asked for', async () => {
    const guid = randomUUID();
    const c = await ScriptedChild.connect(h.port, { guid, compress, hostname: 'rsstate-bomb' });
    const now = Math.floor(Date.now() / 1000);
    c.send(define('rb.c', [['x', 'absolute', 1, 1]]) + serializeChartDefinitionEnd(now - 100, now - 1, now));
    await c.until(() => c.received.includes('REPLAY_CHART'));
    c.received = '';
    const cpu = process.cpuUsage();
    // A flipped byte in a real stream: `RSSTATE 1795343627500000 1795343627000000` became a last updated time of 1.
    c.send(serializeRBeginChart('rb.c') + serializeRSState(now * 1e6 + 500_000, 1) + serializeREnd(1, now - 100, now - 1, true, 0, 0, now));
    for (let k = 0; k < 3; k++) c.send(block('rb.c', 1_000_000, [['x', k]]));
    c.send(serializeREnd(1, 1, now, false, 1, 2, now)); // unsolicited: must not start another request
    await h.logs.waitFor(/STREAM rsstate-bomb .*chart 'rb.c': 1 implausible RSSTATE clocks ignored/);
    await until(() => store.pointsOf(guid, 'rb.c').some((p) => p.value === 2), 10000, 'live point');
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1e6).toBeLessThan(1);
    expect(store.pointsOf(guid, 'rb.c').length).toBeLessThan(5);
    await new Promise((r) => setTimeout(r, 200));
    expect(c.received).toBe('');
    c.close();
  });

  it('keeps host labels, claim id, chart labels and variables', async () => {
    const guid = randomUUID();
    const c = await ScriptedChild.connect(h.port, { guid, compress });
    c.send(
      `CLAIMED_ID ${guid} NULL\nLABEL "_os_name" = 1 "Debian GNU/Linux"\nLABEL "role" = 2 "db"\nOVERWRITE labels\n` +
        define('lbl.chart', [['a', 'absolute', 1, 1]]) +
        'CLABEL "_collect_plugin" "proc" 1\nCLABEL "device" "sda" 1\nCLABEL_COMMIT\nVARIABLE CHART lbl_var = 2.5\nVARIABLE HOST host_var = 42\n',
    );
    await until(() => store.variables.filter((v) => v.machineGuid === guid).length === 2 && store.charts.get(`${guid}/lbl.chart`)?.labels['device'] === 'sda', 10000, 'labels and variables');
    expect(store.hosts.get(guid)?.labels).toEqual({ _os_name: 'Debian GNU/Linux', role: 'db' });
    expect(store.charts.get(`${guid}/lbl.chart`)?.labels).toEqual({ _collect_plugin: 'proc', device: 'sda' });
    const vars = store.variables.filter((v) => v.machineGuid === guid).map((v) => [v.chartId, v.name, v.value]);
    expect(vars).toEqual([['lbl.chart', 'lbl_var', 2.5], ['', 'host_var', 42]]);
    c.send('CHART "lbl.chart" "" "t" "u" "f" "lbl.chart" "line" 1 1 "obsolete   " "" ""\n');
    await until(() => store.deletedCharts.includes(`${guid}/lbl.chart`), 10000, 'obsolete chart');
    c.close();
  });

  it('accepts function definitions and answers a function call as unroutable', async () => {
    const c = await ScriptedChild.connect(h.port, { guid: randomUUID(), compress });
    const tx = randomUUID();
    c.send(define('fn.chart', [['a', 'absolute', 1, 1]]) + 'FUNCTION "processes" 10 "top processes"\n' + `FUNCTION ${tx} 10 "processes"\n`);
    await c.until(() => c.received.includes('FUNCTION_RESULT_END'));
    expect(c.received).toMatch(new RegExp(`^FUNCTION_RESULT_BEGIN "${tx}" 503 "application/json" \\d+\n\\{"status":503,"error_message":"Failed to route request to collector"\\}\nFUNCTION_RESULT_END\n$`));
    expect(c.closed).toBe(false);
    c.close();
  });

  it.each<[string, string]>([
    ['an unknown command', 'WHATEVER 1 2 3\n'],
    ['BEGIN for an unknown chart', 'BEGIN "no.such" 1000000\n'],
    ['SET for an unknown dimension', define('bad.set', [['a', 'absolute', 1, 1]]) + 'BEGIN "bad.set" 1000000\nSET "zzz" = 1\nEND\n'],
    ['DIMENSION without a chart', 'DIMENSION "a" "a" "absolute" 1 1 ""\n'],
    ['a line over the size limit', 'CHART "' + 'x'.repeat(70000)],
  ])('closes only the connection on %s, with a logged reason', async (_what, text) => {
    const good = await ScriptedChild.connect(h.port, { guid: randomUUID(), compress });
    const bad = await ScriptedChild.connect(h.port, { guid: randomUUID(), hostname: 'badchild', compress });
    bad.send(text);
    await bad.until(() => bad.closed);
    await h.logs.waitFor(/STREAM badchild \[receive from \[localhost\]:\d+\]: .*Closing the connection\./);
    good.send(define('still.ok', [['a', 'absolute', 1, 1]]));
    await new Promise((r) => setTimeout(r, 100));
    expect(good.closed).toBe(false);
    good.close();
  });
});

describe('robustness', () => {
  let store: FakeMetricStore;
  let h: Harness;
  beforeAll(async () => {
    store = new FakeMetricStore();
    h = await startIngest({ storePort: await store.start(), env: { INGEST_CHILD_BUFFER_BYTES: '65536' } });
  });
  afterAll(async () => {
    await h.stop();
    await store.stop();
  });

  it('closes a connection with a corrupt LZ4 block or a decompression bomb', async () => {
    const c = await ScriptedChild.connect(h.port, { guid: randomUUID(), hostname: 'lz4bad' });
    c.sendRaw(Buffer.from([0xfa, 0x84, 0x80, 0x0a, 0xff, 0xff, 0xff, 0xff]));
    await c.until(() => c.closed);
    await h.logs.waitFor(/STREAM lz4bad .*cannot decompress/);
    const body: number[] = [0x1f, 65, 1, 0];
    for (let rest = (1 << 20) - 19; rest >= 0; rest -= 255) body.push(Math.min(rest, 255));
    body.push(0);
    const bomb = await ScriptedChild.connect(h.port, { guid: randomUUID(), hostname: 'lz4bomb' });
    bomb.sendRaw(Buffer.from([0xfa, 0x80 | (body.length & 0x7f), 0x80 | (body.length >> 7), 0x0a, ...body]));
    await bomb.until(() => bomb.closed);
    await h.logs.waitFor(/STREAM lz4bomb .*Closing the connection/);
  });

  it('holds a bounded buffer while metric-store does not acknowledge, pauses the child, then delivers everything', async () => {
    const guid = randomUUID();
    const c = await ScriptedChild.connect(h.port, { guid, compress: false });
    const dims: [string, string, number, number][] = Array.from({ length: 50 }, (_, k) => [`d${k}`, 'absolute', 1, 1]);
    c.send(define('bp.chart', dims));
    store.holdAcks = true;
    let us = 0;
    let sent = 0;
    // Push far more than the 64 KiB buffer: 3000 collections x 50 dims x 21 bytes = ~3 MB of points.
    const payload: string[] = [];
    for (let k = 0; k < 3000; k++) payload.push(block('bp.chart', (us = 1_000_000), dims.map(([d]) => [d, k])));
    c.socket.write(payload.join(''));
    sent = payload.length;
    await new Promise((r) => setTimeout(r, 1500));
    const held = h.runtime.tracker.snapshot().children.find((x) => x.machineGuid === guid);
    expect(held).toBeDefined();
    expect(held?.bufferedBytes).toBeGreaterThan(0);
    expect(held?.bufferedBytes).toBeLessThan(65536 + 200 * 1024); // limit + what one read can carry
    const before = store.pointsOf(guid, 'bp.chart').length;
    store.releaseAcks();
    await until(() => store.pointsOf(guid, 'bp.chart').length >= (sent - 1) * 50, 30000, 'all points delivered');
    expect(store.pointsOf(guid, 'bp.chart').length).toBeGreaterThan(before);
    expect(us).toBe(1_000_000);
    c.close();
  }, 60000);

  it('survives metric-store restarts: re-declares charts on the new call and resends what was not acknowledged', async () => {
    const guid = randomUUID();
    const c = await ScriptedChild.connect(h.port, { guid, compress: true });
    c.send(define('rs.chart', [['a', 'absolute', 1, 1]]));
    for (let k = 0; k < 3; k++) c.send(block('rs.chart', 1_000_000, [['a', k]]));
    await until(() => store.pointsOf(guid, 'rs.chart').length >= 2, 10000, 'first points');
    const port = store.port;
    await store.stop();
    for (let k = 3; k < 8; k++) c.send(block('rs.chart', 1_000_000, [['a', k]]));
    await new Promise((r) => setTimeout(r, 700));
    const fresh = new FakeMetricStore();
    await fresh.start(port);
    try {
      await until(() => fresh.pointsOf(guid, 'rs.chart').length >= 5, 15000, 'resent points');
      expect(fresh.errors).toEqual([]);
      expect(fresh.pointsOf(guid, 'rs.chart').map((p) => p.value)).toEqual([3, 4, 5, 6, 7]);
      expect(fresh.hosts.has(guid)).toBe(true);
    } finally {
      c.close();
      store = fresh;
    }
  }, 30000);

  it('fuzz: random bytes and mutated real streams never crash the process and never affect another child', async () => {
    const good = await ScriptedChild.connect(h.port, { guid: randomUUID(), compress: false });
    good.send(define('fuzz.ok', [['a', 'absolute', 1, 1]]));
    const base = Buffer.from(
      define('fz.c', [['a', 'incremental', 1, 1], ['b', 'percentage-of-absolute-row', 1, 1]]) +
        Array.from({ length: 20 }, (_, k) => block('fz.c', 1_000_000, [['a', k * 7], ['b', k]])).join('') + 'VARIABLE HOST x = 1\nLABEL "a" = 1 "b"\nOVERWRITE labels\n',
    );
    let seed = 12345;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let round = 0; round < 60; round++) {
      const compress = round % 2 === 0;
      const c = await ScriptedChild.connect(h.port, { guid: randomUUID(), compress });
      let data: Buffer;
      if (round % 3 === 0) data = Buffer.from(Array.from({ length: 1 + rnd(4000) }, () => rnd(256)));
      else {
        data = Buffer.from(base);
        for (let m = 0; m < 1 + rnd(10); m++) data[rnd(data.length)] = rnd(256);
      }
      if (round % 5 === 0) c.sendRaw(data);
      else c.send(data);
      await new Promise((r) => setTimeout(r, 10));
      c.close();
    }
    const s = connect({ host: '127.0.0.1', port: h.port });
    await new Promise((r) => s.once('connect', r));
    s.end(Buffer.from([0x16, 0x03, 0x01, 0, 5, 1, 2, 3, 4, 5]));
    await new Promise((r) => setTimeout(r, 300));
    good.send(block('fuzz.ok', 1_000_000, [['a', 1]]));
    await new Promise((r) => setTimeout(r, 100));
    expect(good.closed).toBe(false);
    good.close();
  }, 60000);
});

describe('one public port', () => {
  it('proxies non-STREAM requests to web-api byte for byte, after a PROXY line naming the client', async () => {
    // A raw TCP "web-api": it answers with what it received, so the test sees the exact bytes.
    const web = createNetServer((sock) => {
      let got = '';
      sock.on('data', (d) => {
        got += d.toString('latin1');
        if (!got.includes('\r\n\r\n')) return;
        const body = JSON.stringify({ got });
        sock.end(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      });
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
    const addr = web.address();
    const webPort = addr && typeof addr === 'object' ? addr.port : 0;
    const store = new FakeMetricStore();
    const h = await startIngest({ storePort: await store.start(), env: { WEB_API_URL: `http://127.0.0.1:${webPort}` } });
    try {
      const client = connect(h.port, '127.0.0.1');
      await new Promise((r) => client.once('connect', r));
      const clientPort = client.localPort;
      const request = 'GET /api/v1/info?x=1 HTTP/1.1\r\nHost: parent\r\nConnection: close\r\n\r\n';
      client.write(request);
      let answer = '';
      client.on('data', (d) => (answer += d.toString('latin1')));
      await new Promise((r) => client.once('close', r));
      const got = (JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { got: string }).got;
      expect(got).toBe(`PROXY TCP4 127.0.0.1 127.0.0.1 ${clientPort} ${h.port}\r\n${request}`);
    } finally {
      await h.stop();
      await store.stop();
      web.close();
    }
  });
});
