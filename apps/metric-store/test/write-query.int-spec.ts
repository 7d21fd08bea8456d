import type { MetricStoreClient } from '@tributary/protocol';
import { createTestDatabase, type TestDatabase } from '@tributary/testing';
import { api, chart, columns, host, query, Row, storeClient, table, Writer } from './support/store.client';
import { startInProcess } from './support/in-process.store';
import { sql } from './support/pages.reader';

describe('metric-store write/read round trip (real PostgreSQL, real gRPC)', () => {
  let db: TestDatabase;
  let store: Awaited<ReturnType<typeof startInProcess>>;
  let client: MetricStoreClient;
  const now = Math.floor(Date.now() / 1000);
  const t0 = now - 300;

  beforeAll(async () => {
    db = await createTestDatabase('ms_roundtrip');
    // Small pages so that the data spans stored pages, in-memory sealed pages and the open page.
    store = await startInProcess(db.url, { TRIBUTARY_PAGE_POINTS: '64', TRIBUTARY_MAINTENANCE_INTERVAL_MS: '200' });
    client = storeClient(store.port);
  });

  afterAll(async () => {
    client?.close();
    await store?.stop(true);
    await db?.drop();
  });

  // Every value shape: integers, decimals, arbitrary floats, extremes, gaps, a counter that resets.
  const shapes: Record<string, (i: number) => number> = {
    ints: (i) => (i * 7919) % 1000,
    decimals: (i) => Math.round(Math.sin(i / 10) * 100000) / 1000,
    floats: (i) => Math.sin(i) * Math.PI * 1e6 + 1 / (i + 3),
    extremes: (i) => [0, -0, 1e308, -1e-308, 2 ** 53, -(2 ** 53), 0.1, Infinity][i % 8],
    gaps: (i) => (i % 5 === 2 || (i >= 100 && i < 120) ? NaN : i),
    counter: (i) => (i < 150 ? i * 1000 : (i - 150) * 1000),
  };
  const names = Object.keys(shapes);

  function expected(i: number): number[] {
    return names.map((n) => shapes[n](i));
  }

  it('acknowledges batches and returns every stored point exactly', async () => {
    const w = new Writer(client);
    const ackHost = await w.send({
      hosts: [host('11111111-1111-1111-1111-111111111111', 'child-a')],
      charts: [{ machineGuid: '11111111-1111-1111-1111-111111111111', chartIndex: 7, chart: chart('test.shapes', names) }],
    });
    expect(ackHost.error).toBe('');
    for (let batch = 0; batch < 10; batch++) {
      const rows: Row[] = [];
      for (let i = batch * 30; i < batch * 30 + 30; i++) {
        names.forEach((_, d) => rows.push({ chart: 7, dim: d, t: t0 + i, v: expected(i)[d], flags: d === 5 && i === 150 ? 1 : 0 }));
      }
      const ack = await w.send({ samples: [columns('11111111-1111-1111-1111-111111111111', rows)] });
      expect(ack).toEqual({ batchId: ack.batchId, rows: rows.length, error: '', retryable: false, duplicate: false });
    }
    await w.close();

    const r = await api.query(client, query({ host: 'child-a', chart: 'test.shapes', after: t0, before: t0 + 299 }));
    expect(r.dimensionIds).toEqual(names);
    expect(r.dimensionNames).toEqual(names.map((n) => `${n}_name`));
    const rows = table(r);
    expect(rows).toHaveLength(300);
    rows.forEach((row, i) => {
      expect(row[0]).toBe(t0 + i);
      const want = expected(i);
      for (let d = 0; d < names.length; d++) {
        if (Number.isNaN(want[d])) expect(row[d + 1]).toBeNaN();
        else expect(Object.is(row[d + 1], want[d])).toBe(true);
      }
    });
    // Some of it really is in PostgreSQL.
    const status = await api.status(client);
    expect(status.pagesFlushed).toBeGreaterThan(0);
    expect(status.storedPoints).toBeGreaterThan(0);
  });

  it('groups by average, min, max, sum, median and incremental-sum with a dimension filter', async () => {
    const base = { host: '11111111-1111-1111-1111-111111111111', chart: 'test.shapes', after: t0, before: t0 + 299, groupTime: 10 };
    const agg = async (group: string, dim: string) => {
      const r = await api.query(client, query({ ...base, group, dimensions: [dim] }));
      expect([r.dimensionIds[0], r.dimensionNames[0]]).toContain(dim);
      expect(r.dimensionIds).toHaveLength(1);
      expect(r.updateEvery).toBe(10);
      return table(r);
    };
    const ints = (from: number) => Array.from({ length: 10 }, (_, k) => shapes['ints'](from + k));
    const avg = await agg('average', 'ints');
    // Rows end on multiples of 10 s: row with end E covers (E-10, E].
    for (const [end, v] of avg) {
      const from = end - 9 - t0;
      if (from < 0 || from + 9 > 299) continue;
      const vals = ints(from);
      expect(v).toBeCloseTo(vals.reduce((a, b) => a + b, 0) / 10, 9);
    }
    const check = async (group: string, f: (vals: number[]) => number) => {
      for (const [end, v] of await agg(group, 'ints')) {
        const from = end - 9 - t0;
        if (from < 0 || from + 9 > 299) continue;
        expect(v).toBe(f(ints(from)));
      }
    };
    await check('min', (v) => Math.min(...v));
    await check('max', (v) => Math.max(...v));
    await check('sum', (v) => v.reduce((a, b) => a + b, 0));
    await check('median', (v) => {
      const s = [...v].sort((a, b) => a - b);
      return (s[4] + s[5]) / 2;
    });
    // Gaps never count: a group of the 'gaps' dimension averages only its values.
    for (const [end, v] of await agg('average', 'gaps_name')) {
      const from = end - 9 - t0;
      if (from < 0 || from + 9 > 299) continue;
      const vals = Array.from({ length: 10 }, (_, k) => shapes['gaps'](from + k)).filter((x) => !Number.isNaN(x));
      if (vals.length === 0) expect(v).toBeNaN();
      else expect(v).toBeCloseTo(vals.reduce((a, b) => a + b, 0) / vals.length, 9);
    }
    // incremental-sum of the counter adds its increments: 10 x 1000 per group, except across the reset.
    const inc = await agg('incremental-sum', 'counter');
    const full = inc.filter(([end]) => end - 9 - t0 > 0 && end - t0 <= 299);
    expect(full.length).toBeGreaterThan(20);
    for (const [end, v] of full) {
      const from = end - 9 - t0;
      const resetInside = from <= 150 && 150 <= from + 9;
      if (!resetInside) expect(v).toBe(10000);
    }
  });

  it('honours points and relative after/before', async () => {
    const r = await api.query(client, query({ host: 'child-a', chart: 'test.shapes', after: -600, points: 20, group: 'max', dimensions: ['ints'] }));
    expect(r.rows).toBeLessThanOrEqual(20);
    expect(r.rows).toBeGreaterThanOrEqual(19);
    expect(r.updateEvery).toBe(30);
    const last = table(r)[r.rows - 1][0];
    expect(Math.abs(last - Math.floor(Date.now() / 1000))).toBeLessThanOrEqual(31);
  });

  it('lists hosts and charts with their definitions, labels and retention', async () => {
    const hosts = await api.listHosts(client);
    const h = hosts.hosts.find((x) => x.info?.machineGuid === '11111111-1111-1111-1111-111111111111');
    expect(h?.info?.hostname).toBe('child-a');
    expect(h?.info?.labels).toEqual({ _os_name: 'Debian' });
    expect(h?.charts).toBe(1);
    expect(h?.dimensions).toBe(names.length);
    expect(h?.lastEntryS).toBe(t0 + 299);
    const charts = await api.listCharts(client, 'child-a');
    expect(charts.charts).toHaveLength(1);
    expect(charts.charts[0].dimensions.map((d) => d.id)).toEqual(names);
    expect(charts.charts[0].labels).toEqual({ source: 'test' });
    expect(charts.charts[0].firstEntryS).toBe(t0);
    expect(charts.charts[0].lastEntryS).toBe(t0 + 299);
  });

  it('rejects a batch with an undeclared chart index without applying it', async () => {
    const w = new Writer(client);
    const ack = await w.send({ samples: [columns('11111111-1111-1111-1111-111111111111', [{ chart: 7, dim: 0, t: now, v: 1 }])] });
    expect(ack.error).toMatch(/undeclared chart index 7/);
    expect(ack.rows).toBe(0);
    await w.close();
    await expect(api.query(client, query({ host: 'nope', chart: 'x' }))).rejects.toMatchObject({ code: 5 });
  });

  it('merges pages that overlap in time (a writer went back), the later write winning', async () => {
    const guid = '11111111-1111-1111-1111-11111111111b';
    const w = new Writer(client);
    await w.send({ hosts: [host(guid, 'child-b')], charts: [{ machineGuid: guid, chartIndex: 0, chart: chart('b.chart', ['v']) }] });
    const base = now - 100;
    // 0..79, then 40..59 again with new values: the second run seals the first page and overlaps it.
    const first = Array.from({ length: 80 }, (_, i) => ({ chart: 0, dim: 0, t: base + i, v: i }));
    const again = Array.from({ length: 20 }, (_, i) => ({ chart: 0, dim: 0, t: base + 40 + i, v: 1000 + i }));
    expect((await w.send({ samples: [columns(guid, first)] })).error).toBe('');
    expect((await w.send({ samples: [columns(guid, again)] })).error).toBe('');
    await w.close();
    const rows = table(await api.query(client, query({ host: 'child-b', chart: 'b.chart', after: base, before: base + 79 })));
    expect(rows).toHaveLength(80);
    rows.forEach(([t, v]) => {
      const i = t - base;
      expect(v).toBe(i >= 40 && i < 60 ? 1000 + i - 40 : i);
    });
  });

  it('keeps variables and marks deleted charts obsolete', async () => {
    const guid = '11111111-1111-1111-1111-111111111111';
    const w = new Writer(client);
    await w.send({
      hosts: [host(guid, 'child-a')],
      charts: [{ machineGuid: guid, chartIndex: 1, chart: chart('test.other', ['x']) }],
      variables: [
        { machineGuid: guid, chartId: '', name: 'host_var', value: 3.5 },
        { machineGuid: guid, chartId: 'test.shapes', name: 'chart_var', value: -1 },
      ],
      deletedCharts: [`${guid}/test.other`],
    });
    await w.close();
    const charts = await api.listCharts(client, guid);
    expect(charts.variables).toEqual(
      expect.arrayContaining([
        { machineGuid: guid, chartId: '', name: 'host_var', value: 3.5 },
        { machineGuid: guid, chartId: 'test.shapes', name: 'chart_var', value: -1 },
      ]),
    );
    const core = store.runtime.store;
    expect(await core?.drain(5000)).toBe(true);
    const other = [...(core?.registry.hosts.get(guid)?.charts.values() ?? [])].find((c) => c.def.id === 'test.other');
    expect(other?.obsolete).toBe(true);
    const rows = await sql<{ obsolete: boolean }>(db.url, `SELECT obsolete FROM charts WHERE chart_id = 'test.other'`);
    expect(rows).toEqual([{ obsolete: true }]);
  });

  it('scopes chart indexes per host on one Write call', async () => {
    const g1 = '11111111-1111-1111-1111-1111111111c1';
    const g2 = '11111111-1111-1111-1111-1111111111c2';
    const w = new Writer(client);
    const ack = await w.send({
      hosts: [host(g1, 'child-c1'), host(g2, 'child-c2')],
      charts: [
        { machineGuid: g1, chartIndex: 0, chart: chart('c.one', ['a']) },
        { machineGuid: g2, chartIndex: 0, chart: chart('c.two', ['b', 'c']) },
      ],
      samples: [columns(g1, [{ chart: 0, dim: 0, t: now - 5, v: 1 }]), columns(g2, [{ chart: 0, dim: 1, t: now - 5, v: 2 }])],
    });
    expect(ack).toMatchObject({ rows: 2, error: '' });
    await w.close();
    const r1 = table(await api.query(client, query({ host: 'child-c1', chart: 'c.one', after: now - 5, before: now - 5 })));
    const r2 = table(await api.query(client, query({ host: 'child-c2', chart: 'c.two', after: now - 5, before: now - 5 })));
    expect(r1).toEqual([[now - 5, 1]]);
    expect(r2[0][0]).toBe(now - 5);
    expect(r2[0][1]).toBeNaN();
    expect(r2[0][2]).toBe(2);
  });

  it('marks a host offline when its writer goes away and online again when live samples come on a new call', async () => {
    const guid = '11111111-1111-1111-1111-1111111111d1';
    const def = chart('d.chart', ['v']);
    const w1 = new Writer(client);
    await w1.send({
      hosts: [host(guid, 'child-d')],
      states: [{ machineGuid: guid, connected: true, atMs: Date.now(), reason: '', graceful: true, peer: '10.1.1.1:5', ingestId: 'a' }],
      charts: [{ machineGuid: guid, chartIndex: 0, chart: def }],
    });
    const online = async () => (await api.listHosts(client)).hosts.find((h) => h.info?.machineGuid === guid);
    expect((await online())?.online).toBe(true);
    await w1.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(await online()).toMatchObject({ online: false, lastDisconnectReason: 'writer disconnected' });
    // A reconnecting writer re-declares host and chart, then streams samples: no HostState needed.
    const w2 = new Writer(client);
    const ack = await w2.send({
      hosts: [host(guid, 'child-d')],
      charts: [{ machineGuid: guid, chartIndex: 3, chart: def }],
      samples: [columns(guid, [{ chart: 3, dim: 0, t: now - 1, v: 1 }])],
    });
    expect(ack.error).toBe('');
    expect(await online()).toMatchObject({ online: true, peer: '10.1.1.1:5' });
    await w2.close();
  });

  it('acknowledges a batch its writer sends again on a new call as a duplicate, without applying it twice', async () => {
    const guid = '11111111-1111-1111-1111-1111111111e1';
    const def = chart('e.chart', ['v']);
    const rows = [0, 1, 2].map((i) => ({ chart: 0, dim: 0, t: now - 10 + i, v: i }));
    const w1 = new Writer(client, 'writer-e');
    await w1.send({ batchId: 1, hosts: [host(guid, 'child-e')], charts: [{ machineGuid: guid, chartIndex: 0, chart: def }] });
    expect(await w1.send({ batchId: 2, samples: [columns(guid, rows)] })).toMatchObject({ rows: 3, error: '', duplicate: false });
    // The writer lost the call before it saw the ack: it re-declares and sends batch 2 again.
    await w1.close();
    const written = (await api.status(client)).samplesWritten;
    const w2 = new Writer(client, 'writer-e');
    await w2.send({ batchId: 3, hosts: [host(guid, 'child-e')], charts: [{ machineGuid: guid, chartIndex: 0, chart: def }] });
    const again = await w2.send({ batchId: 2, samples: [columns(guid, rows)] });
    expect(again).toMatchObject({ batchId: 2, rows: 0, error: '', duplicate: true });
    expect((await api.status(client)).samplesWritten).toBe(written);
    // Another writer's batch 2 is its own.
    const other = new Writer(client, 'writer-f');
    await other.send({ batchId: 1, hosts: [host(guid, 'child-e')], charts: [{ machineGuid: guid, chartIndex: 0, chart: def }] });
    const late = [{ chart: 0, dim: 0, t: now - 7, v: 3 }];
    expect(await other.send({ batchId: 2, samples: [columns(guid, late)] })).toMatchObject({ rows: 1, duplicate: false });
    await w2.close();
    await other.close();
    const r = await api.query(client, query({ host: 'child-e', chart: 'e.chart', after: now - 10, before: now - 7 }));
    expect(table(r).map((row) => row[1])).toEqual([0, 1, 2, 3]);
  });

  it('refuses every batch after a refused one on the same call, as retryable, and applies them on the next call', async () => {
    const guid = '11111111-1111-1111-1111-1111111111f1';
    const def = chart('f.chart', ['v']);
    const w1 = new Writer(client, 'writer-g');
    await w1.send({ batchId: 1, hosts: [host(guid, 'child-f')], charts: [{ machineGuid: guid, chartIndex: 0, chart: def }] });
    const bad = await w1.send({ batchId: 2, samples: [columns(guid, [{ chart: 9, dim: 0, t: now - 5, v: 1 }])] });
    expect(bad).toMatchObject({ rows: 0, retryable: false });
    const good = await w1.send({ batchId: 3, samples: [columns(guid, [{ chart: 0, dim: 0, t: now - 5, v: 5 }])] });
    expect(good).toMatchObject({ rows: 0, retryable: true, error: expect.stringMatching(/batch 2 of this call was refused/) });
    await w1.close();
    const w2 = new Writer(client, 'writer-g');
    await w2.send({ batchId: 4, hosts: [host(guid, 'child-f')], charts: [{ machineGuid: guid, chartIndex: 0, chart: def }] });
    expect(await w2.send({ batchId: 3, samples: [columns(guid, [{ chart: 0, dim: 0, t: now - 5, v: 5 }])] })).toMatchObject({ rows: 1, error: '' });
    await w2.close();
  });

  it('finds a host by GUID before any hostname, and never by hostname for a GUID-only lookup', async () => {
    const victim = '33333333-3333-4333-8333-000000000001';
    const impostor = '33333333-3333-4333-8333-000000000002';
    const w = new Writer(client);
    // The impostor names itself after the victim's GUID and connects first.
    await w.send({ hosts: [host(impostor, victim)], charts: [{ machineGuid: impostor, chartIndex: 0, chart: chart('imp.c', ['x']) }] });
    await w.send({ samples: [columns(impostor, [{ chart: 0, dim: 0, t: now - 10, v: 666 }])] });
    // Before the victim exists a GUID-only lookup (what replication start, backfill and proxy replay use) finds nothing.
    await expect(api.query(client, query({ host: victim, chart: 'imp.c', after: now - 60, before: now, guidOnly: true }))).rejects.toMatchObject({ code: 5 });
    await expect(api.listCharts(client, victim, '', true)).rejects.toMatchObject({ code: 5 });
    await w.send({ hosts: [host(victim, 'victim')], charts: [{ machineGuid: victim, chartIndex: 1, chart: chart('imp.c', ['x']) }] });
    await w.send({ samples: [columns(victim, [{ chart: 1, dim: 0, t: now - 20, v: 1 }])] });
    await w.close();
    for (const guidOnly of [true, false]) {
      const r = await api.query(client, query({ host: victim, chart: 'imp.c', after: now - 60, before: now, guidOnly }));
      expect(r.machineGuid).toBe(victim);
      expect(table(r).filter((row) => !Number.isNaN(row[1]))).toEqual([[now - 20, 1]]);
      expect((await api.listCharts(client, victim, '', guidOnly)).host?.info?.machineGuid).toBe(victim);
    }
    // The impostor keeps its own data under its own GUID.
    expect((await api.query(client, query({ host: impostor, chart: 'imp.c', after: now - 60, before: now, guidOnly: true }))).machineGuid).toBe(impostor);
  });

  it('writes a thousand charts to PostgreSQL in a few multi-row transactions, dimensions and labels included', async () => {
    const ms = store.runtime.store;
    if (!ms) throw new Error('no store');
    const guids = Array.from({ length: 20 }, (_, k) => `44444444-4444-4444-8444-${String(k).padStart(12, '0')}`);
    const writesBefore = ms.topologyWrites;
    const w = new Writer(client);
    const ack = await w.send({
      hosts: guids.map((g, k) => host(g, `bulk-${k}`, { labels: { rack: `r${k}` } })),
      charts: guids.flatMap((g) =>
        Array.from({ length: 50 }, (_, c) => ({
          machineGuid: g,
          chartIndex: c,
          chart: chart(`bulk.c${c}`, ['a', 'b', 'c', 'd', 'e'], { labels: { source: 'bulk', n: String(c) } }),
        })),
      ),
    });
    expect(ack.error).toBe('');
    // One chart of one host goes obsolete right after: written in its turn, after the definitions.
    await w.send({ deletedCharts: [`${guids[3]}/bulk.c7`] });
    await w.close();
    const counts = async () =>
      (
        await sql<{ charts: string; dims: string; chart_labels: string; host_labels: string; obsolete: string }>(
          db.url,
          `SELECT (SELECT count(*) FROM charts c JOIN hosts h ON h.id = c.host_id WHERE h.hostname LIKE 'bulk-%') AS charts,
                  (SELECT count(*) FROM dimensions d JOIN charts c ON c.id = d.chart_id WHERE c.chart_id LIKE 'bulk.%') AS dims,
                  (SELECT count(*) FROM chart_labels l JOIN charts c ON c.id = l.chart_id WHERE c.chart_id LIKE 'bulk.%') AS chart_labels,
                  (SELECT count(*) FROM host_labels l JOIN hosts h ON h.id = l.host_id WHERE h.hostname LIKE 'bulk-%') AS host_labels,
                  (SELECT count(*) FROM charts c WHERE c.chart_id LIKE 'bulk.%' AND c.obsolete) AS obsolete`,
        )
      )[0];
    const want = { charts: '1000', dims: '5000', chart_labels: '2000', host_labels: '20', obsolete: '1' };
    for (let k = 0; k < 100 && JSON.stringify(await counts()) !== JSON.stringify(want); k++) await new Promise((r) => setTimeout(r, 100));
    expect(await counts()).toEqual(want);
    // Before: one awaited transaction per host and per chart (1021 here). Now a handful.
    expect(ms.topologyWrites - writesBefore).toBeLessThanOrEqual(10);
    const stored = await sql<{ definition: { title: string }; labels: string }>(
      db.url,
      `SELECT c.definition, string_agg(l.name || '=' || l.value, ',' ORDER BY l.name) AS labels FROM charts c
       JOIN hosts h ON h.id = c.host_id JOIN chart_labels l ON l.chart_id = c.id
       WHERE h.machine_guid = $1 AND c.chart_id = 'bulk.c42' GROUP BY c.definition`,
      [guids[19]],
    );
    expect(stored).toEqual([{ definition: expect.objectContaining({ title: 'bulk.c42 title' }), labels: 'n=42,source=bulk' }]);
  });
});
