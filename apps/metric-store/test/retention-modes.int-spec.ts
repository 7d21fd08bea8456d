import type { MetricStoreClient } from '@tributary/protocol';
import { createTestDatabase, type TestDatabase } from '@tributary/testing';
import type { MetricStore } from '../src/store/metric.store';
import { startInProcess } from './support/in-process.store';
import { sql, storedPoints } from './support/pages.reader';
import { api, chart, columns, host, query, Row, storeClient, table, Writer } from './support/store.client';

const DB_GUID = 'aaaaaaaa-0000-0000-0000-00000000000d';
const RAM_GUID = 'aaaaaaaa-0000-0000-0000-00000000000a';
const NONE_GUID = 'aaaaaaaa-0000-0000-0000-00000000000e';

describe('metric-store retention and memory modes (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: Awaited<ReturnType<typeof startInProcess>>;
  let client: MetricStoreClient;
  let core: MetricStore;
  const now = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    db = await createTestDatabase('ms_retention');
    // Maintenance only when the test calls it, so that cutoffs are known exactly.
    store = await startInProcess(db.url, { TRIBUTARY_PAGE_POINTS: '50', TRIBUTARY_MAINTENANCE_INTERVAL_MS: '3600000' });
    client = storeClient(store.port);
    core = store.runtime.store as MetricStore;
  });

  afterAll(async () => {
    client?.close();
    await store?.stop(true);
    await db?.drop();
  });

  async function writeSeries(guid: string, name: string, mode: string, history: number, from: number, to: number): Promise<Writer> {
    const w = new Writer(client);
    const ack = await w.send({
      hosts: [host(guid, name, { memoryMode: mode, historySeconds: history })],
      states: [{ machineGuid: guid, connected: true, atMs: Date.now(), reason: '', graceful: true, peer: '127.0.0.1:1', ingestId: 't' }],
      charts: [{ machineGuid: guid, chartIndex: 0, chart: chart('system.load', ['load1', 'load5']) }],
    });
    expect(ack.error).toBe('');
    const rows: Row[] = [];
    for (let t = from; t <= to; t++) {
      rows.push({ chart: 0, dim: 0, t, v: t % 97 }, { chart: 0, dim: 1, t, v: (t % 13) / 4 });
    }
    const a2 = await w.send({ samples: [columns(guid, rows)] });
    expect(a2).toMatchObject({ rows: rows.length, error: '' });
    return w;
  }

  it('dbengine: retention deletes exactly the points older than history, in PostgreSQL and in queries', async () => {
    const w = await writeSeries(DB_GUID, 'db-child', 'dbengine', 100, now - 250, now - 1);
    core.sealAll();
    expect(await core.drain(10000)).toBe(true);
    expect((await storedPoints(db.url, DB_GUID)).length).toBe(2 * 250);
    // A query before retention fills the page index with the pages retention is about to delete and rewrite.
    await api.query(client, query({ host: 'db-child', chart: 'system.load', after: now - 1000, before: now }));
    expect(core.pageIndex.size.dimensions).toBe(2);

    const atMs = now * 1000 + 500;
    core.maintenance(atMs);
    expect(await core.drain(10000)).toBe(true);
    const cutoff = now - 100;
    const kept = await storedPoints(db.url, DB_GUID);
    const times = kept.filter((p) => p.dim === 'load1').map((p) => p.t);
    // Exactly (cutoff, now-1]: pages wholly older are gone, the straddling page was cut at the cutoff.
    expect(times).toEqual(Array.from({ length: 99 }, (_, i) => cutoff + 1 + i));
    expect(kept.filter((p) => p.dim === 'load5')).toHaveLength(99);
    // GetStatus keeps its count of stored points without scanning: it must agree with the table.
    expect((await api.status(client)).storedPoints).toBe(kept.length);
    for (const p of kept) expect(p.v).toBe(p.dim === 'load1' ? p.t % 97 : (p.t % 13) / 4);
    const [{ n }] = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM pages WHERE start_s <= $1', [cutoff]);
    expect(Number(n)).toBe(0);

    // Never returned: a query reaching far back starts after now - history.
    const queriedAt = Math.floor(Date.now() / 1000); // the query's own clock is this or later
    const r = await api.query(client, query({ host: 'db-child', chart: 'system.load', after: now - 1000, before: now }));
    const rows = table(r).filter((row) => !Number.isNaN(row[1]));
    expect(rows.length).toBeGreaterThan(90);
    for (const row of rows) expect(row[0]).toBeGreaterThan(queriedAt - 100);
    // ... and what is returned is exactly what PostgreSQL keeps, through the page index as through a fresh listing
    for (const row of rows) expect([row[1], row[2]]).toEqual([row[0] % 97, (row[0] % 13) / 4]);
    const again = table(await api.query(client, query({ host: 'db-child', chart: 'system.load', after: now - 60, before: now })));
    expect(again.filter((row) => !Number.isNaN(row[1])).map((row) => row[0])).toEqual(Array.from({ length: 60 }, (_, i) => now - 60 + i));
    await w.close();
  });

  it('ram: data lives in memory only, limited to history, never in PostgreSQL', async () => {
    const w = await writeSeries(RAM_GUID, 'ram-child', 'ram', 60, now - 200, now - 1);
    core.maintenance(now * 1000);
    core.sealAll();
    expect(await core.drain(10000)).toBe(true);
    expect(await storedPoints(db.url, RAM_GUID)).toHaveLength(0);
    const r = await api.query(client, query({ host: 'ram-child', chart: 'system.load', after: now - 300, before: now }));
    const rows = table(r).filter((row) => !Number.isNaN(row[1]));
    expect(rows.length).toBeGreaterThanOrEqual(57);
    expect(rows.length).toBeLessThanOrEqual(59);
    for (const row of rows) {
      expect(row[0]).toBeGreaterThan(now - 60);
      expect(row[1]).toBe(row[0] % 97);
    }
    const hosts = await api.listHosts(client);
    expect(hosts.hosts.find((h) => h.info?.machineGuid === RAM_GUID)?.info?.memoryMode).toBe('ram');
    await w.close();
  });

  it('none: nothing stored, host listed only while connected', async () => {
    const w = await writeSeries(NONE_GUID, 'none-child', 'none', 3600, now - 100, now - 1);
    core.sealAll();
    expect(await core.drain(10000)).toBe(true);
    expect(await storedPoints(db.url, NONE_GUID)).toHaveLength(0);
    let hosts = await api.listHosts(client);
    expect(hosts.hosts.find((h) => h.info?.machineGuid === NONE_GUID)?.online).toBe(true);
    const r = await api.query(client, query({ host: 'none-child', chart: 'system.load', after: now - 100, before: now }));
    expect(table(r).every((row) => Number.isNaN(row[1]) && Number.isNaN(row[2]))).toBe(true);
    const ack = await w.send({
      states: [{ machineGuid: NONE_GUID, connected: false, atMs: Date.now(), reason: 'EOF', graceful: true, peer: '', ingestId: 't' }],
    });
    expect(ack.error).toBe('');
    hosts = await api.listHosts(client);
    expect(hosts.hosts.find((h) => h.info?.machineGuid === NONE_GUID)).toBeUndefined();
    await w.close();
  });

  it('removes hosts unseen for longer than the orphan cleanup time, with their data', async () => {
    // The ram and dbengine hosts went offline when their Write calls ended; pretend an hour passed.
    const later = Date.now() + 3601 * 1000;
    core.maintenance(later);
    expect(await core.drain(10000)).toBe(true);
    const hosts = await api.listHosts(client);
    expect(hosts.hosts.map((h) => h.info?.machineGuid)).not.toContain(DB_GUID);
    expect(hosts.hosts.map((h) => h.info?.machineGuid)).not.toContain(RAM_GUID);
    const rows = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM hosts WHERE machine_guid = ANY($1)', [[DB_GUID, RAM_GUID]]);
    expect(Number(rows[0].n)).toBe(0);
    const pages = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM pages');
    expect(Number(pages[0].n)).toBe(0);
    const status = await api.status(client);
    expect(status.storedPoints).toBe(0);
    expect(status.bytesOnDisk).toBeGreaterThan(0);
    await expect(api.query(client, query({ host: 'db-child', chart: 'system.load' }))).rejects.toMatchObject({ code: 5 });
  });
});
