import type { MetricStoreClient, SampleColumns, SubscribeEvent } from '@tributary/protocol';
import { createTestDatabase, type TestDatabase } from '@tributary/testing';
import { startInProcess } from './support/in-process.store';
import { chart, columns, host, storeClient, Writer } from './support/store.client';

const GUID_A = 'bbbbbbbb-0000-0000-0000-00000000000a';
const GUID_B = 'bbbbbbbb-0000-0000-0000-00000000000b';

function waitFor<T>(events: T[], pred: (all: T[]) => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (pred(events)) return resolve();
      if (Date.now() > until) return reject(new Error(`timeout; got ${events.length} events`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

describe('metric-store Subscribe (real gRPC)', () => {
  let db: TestDatabase;
  let store: Awaited<ReturnType<typeof startInProcess>>;
  let client: MetricStoreClient;

  beforeAll(async () => {
    db = await createTestDatabase('ms_subscribe');
    store = await startInProcess(db.url);
    client = storeClient(store.port);
  });

  afterAll(async () => {
    client?.close();
    await store?.stop(true);
    await db?.drop();
  });

  it('sends topology first, then samples whose chart indexes refer to announced charts, filtered by host', async () => {
    const w = new Writer(client);
    await w.send({
      hosts: [host(GUID_A, 'sub-a'), host(GUID_B, 'sub-b')],
      states: [{ machineGuid: GUID_A, connected: true, atMs: Date.now(), reason: '', graceful: true, peer: '10.0.0.1:1234', ingestId: 'i1' }],
      charts: [
        { machineGuid: GUID_A, chartIndex: 3, chart: chart('disk.io', ['reads', 'writes']) },
        { machineGuid: GUID_B, chartIndex: 4, chart: chart('net.eth0', ['in', 'out']) },
      ],
      variables: [{ machineGuid: GUID_A, chartId: '', name: 'my_var', value: 42 }],
    });
    const events: SubscribeEvent[] = [];
    const sub = client.subscribe({ machineGuids: [GUID_A], withTopology: true });
    sub.on('data', (e: SubscribeEvent) => events.push(e));
    sub.on('error', () => undefined);
    await waitFor(events, (e) => e.some((x) => x.event?.$case === 'variable'));
    const kinds = events.map((e) => e.event?.$case);
    expect(kinds.slice(0, 3)).toEqual(['host', 'state', 'chart']);
    expect(events.every((e) => e.event?.$case !== 'host' || e.event.host.machineGuid === GUID_A)).toBe(true);

    // A chart declared later is announced before its first samples.
    const t = Math.floor(Date.now() / 1000);
    await w.send({
      charts: [{ machineGuid: GUID_A, chartIndex: 9, chart: chart('disk.ops', ['r']) }],
      samples: [
        columns(GUID_A, [
          { chart: 3, dim: 1, t, v: 1.5, raw: 123456789 },
          { chart: 9, dim: 0, t, v: 7, flags: 1 },
        ]),
        columns(GUID_B, [{ chart: 4, dim: 0, t, v: 99 }]),
      ],
    });
    await waitFor(events, (e) => e.some((x) => x.event?.$case === 'samples'));
    const charts = new Map<number, string>();
    let samples: SampleColumns | undefined;
    for (const e of events) {
      if (e.event?.$case === 'chart') charts.set(e.event.chart.chartIndex, e.event.chart.chart?.id ?? '');
      if (e.event?.$case === 'samples') samples = e.event.samples;
    }
    expect(samples?.machineGuid).toBe(GUID_A);
    expect(samples?.rows).toBe(2);
    const s = samples as SampleColumns;
    const ci = new Uint32Array(Uint8Array.from(s.chartIndex).buffer);
    const di = new Uint32Array(Uint8Array.from(s.dimensionIndex).buffer);
    const v = new Float64Array(Uint8Array.from(s.value).buffer);
    expect([charts.get(ci[0]), di[0], v[0]]).toEqual(['disk.io', 1, 1.5]);
    expect([charts.get(ci[1]), di[1], v[1], s.flags[1]]).toEqual(['disk.ops', 0, 7, 1]);
    // The raw collected values reach subscribers untouched (exporter as-collected); they are not stored.
    const raw = new Float64Array(Uint8Array.from(s.collected).buffer);
    expect(raw[0]).toBe(123456789);
    expect(raw[1]).toBeNaN();
    // Host B's samples never reached this subscriber.
    expect(events.some((e) => e.event?.$case === 'samples' && e.event.samples.machineGuid === GUID_B)).toBe(false);

    sub.cancel();
    await w.close();
  });
});

describe('metric-store Subscribe past its live-event bound (real gRPC)', () => {
  let db: TestDatabase;
  let store: Awaited<ReturnType<typeof startInProcess>>;
  let client: MetricStoreClient;
  const GUID = 'bbbbbbbb-0000-0000-0000-0000000000c1';
  const CHARTS = 5000; // a dump of ~1.3 MB by the hub's estimate, past the 1 MB bound below

  beforeAll(async () => {
    db = await createTestDatabase('ms_subscribe_bound');
    // 1 MB of live events at most: far less than the topology dump of CHARTS charts.
    store = await startInProcess(db.url, { TRIBUTARY_SUBSCRIBER_MAX_QUEUED_MB: '1', TRIBUTARY_SUBSCRIBER_STALL_MS: '1500' });
    client = storeClient(store.port);
    const w = new Writer(client);
    const charts = Array.from({ length: CHARTS }, (_, i) => ({ machineGuid: GUID, chartIndex: i, chart: chart(`big.c${i}`, ['a', 'b', 'c', 'd']) }));
    expect((await w.send({ hosts: [host(GUID, 'big')], charts })).error).toBe('');
    await w.close();
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await store?.stop(true);
    await db?.drop();
  }, 180_000);

  it('writes the whole topology dump at the subscriber\'s pace, without counting it as a slow reader', async () => {
    const events: SubscribeEvent[] = [];
    let failed: Error | undefined;
    const sub = client.subscribe({ machineGuids: [], withTopology: true });
    sub.on('data', (e: SubscribeEvent) => events.push(e));
    sub.on('error', (e: Error) => (failed = e));
    // A reader that starts late: the dump waits for it.
    sub.pause();
    await new Promise((r) => setTimeout(r, 500));
    sub.resume();
    await waitFor(events, (e) => e.filter((x) => x.event?.$case === 'chart').length === CHARTS, 20000);
    expect(failed).toBeUndefined();
    expect(events[0].event?.$case).toBe('host');
    sub.cancel();
  });

  it('holds the writer while a subscriber that stopped reading is behind, then cuts it off after the stall timeout', async () => {
    const w = new Writer(client);
    await w.send({ hosts: [host(GUID, 'big')], charts: [{ machineGuid: GUID, chartIndex: 0, chart: chart('big.c0', ['a', 'b', 'c', 'd']) }] });
    let failed: (Error & { code?: number }) | undefined;
    const sub = client.subscribe({ machineGuids: [GUID], withTopology: false });
    sub.on('error', (e: Error) => (failed = e));
    let received = 0;
    sub.on('data', () => received++);
    sub.pause();
    // ~35 MB of samples while it reads nothing: the writer is held (its acks stop) until the stall timeout cuts the
    // subscriber off; its status arrives once it reads again.
    const t = Math.floor(Date.now() / 1000);
    const started = Date.now();
    for (let k = 0; k < 300; k++) {
      const rows = Array.from({ length: 4000 }, (_, i) => ({ chart: 0, dim: i % 4, t: t - 40000 + k * 10 + Math.floor(i / 400), v: i }));
      await w.send({ samples: [columns(GUID, rows)] });
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    sub.resume();
    await waitFor([0], () => failed !== undefined, 10000);
    expect(failed?.code).toBe(8); // RESOURCE_EXHAUSTED
    expect(failed?.message).toMatch(/subscriber drained nothing for \d+ s \(\d+ MB queued\): resubscribe/);
    expect(store.runtime.store?.hub.stalledCutOffs).toBe(1);
    // What was queued before the writer was held was delivered; the rest was not.
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(300);
    await w.close();
  });
});

describe('metric-store Subscribe with a slow reader (real gRPC)', () => {
  let db: TestDatabase;
  let store: Awaited<ReturnType<typeof startInProcess>>;
  let client: MetricStoreClient;
  const GUID = 'bbbbbbbb-0000-0000-0000-0000000000e1';

  beforeAll(async () => {
    db = await createTestDatabase('ms_subscribe_slow');
    store = await startInProcess(db.url, { TRIBUTARY_SUBSCRIBER_MAX_QUEUED_MB: '1' });
    client = storeClient(store.port);
  });
  afterAll(async () => {
    client?.close();
    await store?.stop(true);
    await db?.drop();
  });

  it('slows the writer to the pace of a subscriber that reads slowly, and delivers it everything (35 MB through a 1 MB bound)', async () => {
    const w = new Writer(client);
    await w.send({ hosts: [host(GUID, 'slow')], charts: [{ machineGuid: GUID, chartIndex: 0, chart: chart('slow.c0', ['a', 'b', 'c', 'd']) }] });
    let failed: Error | undefined;
    const sub = client.subscribe({ machineGuids: [GUID], withTopology: false });
    sub.on('error', (e: Error) => (failed = e));
    let received = 0;
    sub.on('data', (e: SubscribeEvent) => {
      if (e.event?.$case !== 'samples') return;
      received++;
      // Reads 20 batches, then looks away for 50 ms: far slower than the writer.
      if (received % 20 === 0) {
        sub.pause();
        setTimeout(() => sub.resume(), 50);
      }
    });
    const t = Math.floor(Date.now() / 1000);
    for (let k = 0; k < 300; k++) {
      const rows = Array.from({ length: 4000 }, (_, i) => ({ chart: 0, dim: i % 4, t: t - 40000 + k * 10 + Math.floor(i / 400), v: i }));
      expect((await w.send({ samples: [columns(GUID, rows)] })).error).toBe('');
    }
    await waitFor([0], () => received === 300 || failed !== undefined, 20000);
    expect(failed).toBeUndefined();
    expect(received).toBe(300);
    expect(store.runtime.store?.hub.writerPauses).toBeGreaterThan(0);
    await w.close();
    sub.cancel();
  });
});

describe('metric-store Subscribe when a host is removed (orphan cleanup)', () => {
  let db: TestDatabase;
  let store: Awaited<ReturnType<typeof startInProcess>>;
  let client: MetricStoreClient;
  const GUID = 'bbbbbbbb-0000-0000-0000-0000000000d1';

  beforeAll(async () => {
    db = await createTestDatabase('ms_subscribe_orphan');
    store = await startInProcess(db.url, { TRIBUTARY_ORPHAN_CLEANUP_SECS: '1', TRIBUTARY_MAINTENANCE_INTERVAL_MS: '200' });
    client = storeClient(store.port);
  });
  afterAll(async () => {
    client?.close();
    await store?.stop(true);
    await db?.drop();
  });

  it('tells every subscriber of the host, which then forgets it', async () => {
    const events: SubscribeEvent[] = [];
    const sub = client.subscribe({ machineGuids: [], withTopology: true });
    sub.on('data', (e: SubscribeEvent) => events.push(e));
    sub.on('error', () => undefined); // the cancel below
    const w = new Writer(client);
    // Offline from the start (no connected state): unseen for more than a second, it is an orphan.
    await w.send({ hosts: [host(GUID, 'orphan')], charts: [{ machineGuid: GUID, chartIndex: 0, chart: chart('orphan.c', ['x']) }] });
    await w.close();
    await waitFor(events, (all) => all.some((e) => e.event?.$case === 'chart'));
    await waitFor(events, (all) => all.some((e) => e.event?.$case === 'removedHost'), 10_000);
    const removed = events.find((e) => e.event?.$case === 'removedHost');
    expect(removed?.event).toEqual({ $case: 'removedHost', removedHost: GUID });
    expect(store.runtime.store?.registry.hosts.has(GUID)).toBe(false);
    sub.cancel();
  });
});
