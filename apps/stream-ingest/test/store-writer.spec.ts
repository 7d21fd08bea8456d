import type { ChartDef } from '@tributary/protocol';
import { BYTES_PER_ROW } from '../src/store/host.channel';
import { StoreWriter, StoreWriterOptions } from '../src/store/store.writer';
import { FakeMetricStore } from './fake-metric-store';

const owner = { pauseReading: () => undefined, resumeReading: () => undefined };

function def(id: string, dims: number): ChartDef {
  return {
    id, name: id, title: id, units: 'u', family: 'f', context: id, chartType: 'line', priority: 1, updateEvery: 1, options: '',
    plugin: '', module: '', labels: {}, firstEntryS: 0, lastEntryS: 0,
    dimensions: Array.from({ length: dims }, (_, i) => ({ id: `d${i}`, name: `d${i}`, algorithm: 'absolute', multiplier: 1, divisor: 1, options: '' })),
  } as ChartDef;
}

function host(guid: string) {
  return {
    machineGuid: guid, hostname: guid.slice(0, 8), registryHostname: '', os: 'linux', timezone: '', abbrevTimezone: '', utcOffset: 0, hops: 1,
    programName: '', programVersion: '', updateEvery: 1, tags: '', systemInfo: {}, labels: {}, claimId: '', memoryMode: 'dbengine',
    historySeconds: 3600, healthEnabled: 'auto',
  };
}

async function until(cond: () => boolean, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('StoreWriter against a gRPC metric-store', () => {
  let store: FakeMetricStore;
  let writer: StoreWriter;
  const warnings: string[] = [];

  async function start(opts: Partial<StoreWriterOptions> = {}): Promise<void> {
    store = new FakeMetricStore();
    const port = await store.start();
    writer = new StoreWriter({
      address: `127.0.0.1:${port}`, batchIntervalMs: 60_000, batchRows: 50_000, batchMaxBytes: 4 << 20, childBufferBytes: 1 << 30,
      log: () => undefined, warn: (m) => warnings.push(m), ...opts,
    });
    writer.start();
    await until(() => writer.storeConnected);
  }

  /** A host with one chart whose `rows` points (one dimension) are queued on a new channel. */
  function child(guid: string, rows: number, t0 = 1000) {
    writer.upsertHost(host(guid));
    const ci = writer.chartIndex(guid, def('c', 1));
    const ch = writer.openChannel(guid, owner);
    for (let i = 0; i < rows; i++) ch.point(ci, 0, t0 + i, i, 0, i);
    return ch;
  }

  afterEach(async () => {
    warnings.length = 0;
    await writer?.stop(1000);
    await store?.stop();
  });

  it('cuts what waits into batches no larger than batchMaxBytes, every point arriving once and in order', async () => {
    await start({ batchMaxBytes: 64 * 1024 });
    const guid = '00000000-0000-0000-0000-0000000000a1';
    child(guid, 20_000);
    writer.flush();
    await until(() => store.pointsOf(guid, 'c').length === 20_000);
    const times = store.pointsOf(guid, 'c').map((p) => p.timeS);
    expect(times).toEqual(Array.from({ length: 20_000 }, (_, i) => 1000 + i));
    // 20k rows × 29 bytes need ≥ 9 batches of 64 KiB; each stays under the bound (plus protobuf framing).
    const sampleBatches = store.batchBytes.filter((b) => b > 1000);
    expect(sampleBatches.length).toBeGreaterThanOrEqual(Math.ceil((20_000 * BYTES_PER_ROW) / (64 * 1024)));
    expect(Math.max(...store.batchBytes)).toBeLessThanOrEqual(64 * 1024 + 512);
  });

  it('cuts a batch from the read path once the rows of all children reach batchRows, without waiting for the timer', async () => {
    await start({ batchRows: 1000 });
    const guids = Array.from({ length: 10 }, (_, i) => `00000000-0000-0000-0000-0000000000b${i}`);
    const chans = guids.map((g) => child(g, 99));
    // Each child holds far fewer than batchRows; together, 990 still wait.
    writer.afterRead();
    await new Promise((r) => setTimeout(r, 200));
    expect(store.points.size).toBe(0);
    chans.forEach((ch, i) => ch.point(writer.chartIndex(guids[i], def('c', 1)), 0, 5000, 1, 0, 1));
    writer.afterRead();
    await until(() => [...store.points.values()].reduce((n, l) => n + l.length, 0) === 1000);
  });

  it('resends a batch whose ack was lost under the same id, and the store acknowledges it as a duplicate', async () => {
    await start();
    const guid = '00000000-0000-0000-0000-0000000000c1';
    let lost = 0;
    store.loseAck = (b) => b.samples.length > 0 && lost++ === 0;
    child(guid, 100);
    writer.flush();
    await until(() => writer.duplicateAcks === 1);
    expect(store.calls).toBe(2);
    expect(new Set(store.writerIds).size).toBe(1);
    expect(store.writerIds[0]).not.toBe('');
    expect(store.pointsOf(guid, 'c')).toHaveLength(100);
    expect(writer.heldBytes).toBe(0);
  });

  it('holds and resends a batch refused for now, losing and repeating nothing', async () => {
    await start();
    const guid = '00000000-0000-0000-0000-0000000000d1';
    let refusals = 2;
    store.refuse = (b) => (b.samples.length > 0 && refusals-- > 0 ? { error: 'store full', retryable: true } : undefined);
    child(guid, 300);
    writer.flush();
    await until(() => store.pointsOf(guid, 'c').length === 300);
    expect(store.calls).toBe(3);
    await until(() => writer.pendingBatches === 0);
    expect(store.pointsOf(guid, 'c')).toHaveLength(300);
    expect(writer.rowsDropped).toBe(0);
  });

  it('splits a batch refused as bad, sends each child alone and drops only the part refused again, with a log line', async () => {
    await start();
    const bad = '00000000-0000-0000-0000-0000000000e1';
    const good = '00000000-0000-0000-0000-0000000000e2';
    store.refuse = (b) => (b.samples.some((s) => s.machineGuid === bad) ? { error: 'row 0 is broken', retryable: false } : undefined);
    child(bad, 50);
    child(good, 70);
    writer.flush();
    await until(() => writer.pendingBatches === 0 && store.pointsOf(good, 'c').length === 70);
    expect(store.pointsOf(bad, 'c')).toHaveLength(0);
    expect(writer.rowsDropped).toBe(50);
    expect(warnings.some((w) => w.includes('sending its') && w.includes('parts alone'))).toBe(true);
    expect(warnings.some((w) => w.includes(`dropping its 50 points (${bad})`))).toBe(true);
    // What comes next is not held back by the bad batch.
    const ch = writer.openChannel(good, owner);
    ch.point(1, 0, 9999, 1, 0, 1);
    writer.flush();
    await until(() => store.pointsOf(good, 'c').length === 71);
    expect(writer.heldBytes).toBe(0);
  });

  it('reports how long the oldest point metric-store has not acknowledged has waited, per child', async () => {
    await start();
    store.holdAcks = true;
    const ch = child('00000000-0000-0000-0000-0000000000f1', 10);
    writer.flush();
    await new Promise((r) => setTimeout(r, 300));
    expect(ch.lagMs(Date.now())).toBeGreaterThanOrEqual(250);
    store.releaseAcks();
    await until(() => writer.pendingBatches === 0);
    expect(ch.lagMs(Date.now())).toBe(0);
  });

  it('re-declares on a new call only the hosts still connected or with data not yet acknowledged', async () => {
    await start();
    const gone = '00000000-0000-0000-0000-0000000001a1';
    const held = '00000000-0000-0000-0000-0000000001a2';
    const live = '00000000-0000-0000-0000-0000000001a3';
    const goneCh = child(gone, 10);
    child(live, 10);
    writer.flush();
    await until(() => writer.pendingBatches === 0);
    writer.closeChannel(goneCh);
    store.holdAcks = true;
    const heldCh = child(held, 10);
    writer.flush();
    writer.closeChannel(heldCh);
    expect([writer.declaredHosts, writer.declaredCharts]).toEqual([2, 2]); // live, and held until its ack
    store.releaseAcks();
    await until(() => writer.pendingBatches === 0);
    expect([writer.declaredHosts, writer.declaredCharts]).toEqual([1, 1]);

    // metric-store restarts: the new call declares the live host only (the others are in its database already).
    const port = store.port;
    await store.stop();
    const fresh = new FakeMetricStore();
    await fresh.start(port);
    store = fresh;
    await until(() => fresh.hosts.has(live));
    expect(fresh.hosts.has(gone)).toBe(false);
    expect(fresh.hosts.has(held)).toBe(false);
    // A child that comes back declares itself again.
    const back = child(gone, 5, 2000);
    writer.flush();
    await until(() => fresh.pointsOf(gone, 'c').length === 5);
    writer.closeChannel(back);
  });
});
