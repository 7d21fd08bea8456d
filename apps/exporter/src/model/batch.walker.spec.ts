import { SimplePattern } from '@tributary/simple-patterns';
import { chartDef, dimension, hostInfo, samples } from '../../test/support/fixtures';
import { GraphiteFormatter } from '../format/graphite.formatter';
import { walkBatch } from './batch.walker';
import { HostRegistry } from './host.registry';

// Every stored point's value is its own timestamp, so sum/count reveal exactly which points a window took.
function registry(ue = 1, from = 990, to = 1040): HostRegistry {
  const r = new HostRegistry(128);
  r.applyHost(hostInfo('g', 'h'));
  r.applyChart({ machineGuid: 'g', chartIndex: 1, chart: chartDef({ id: 'c.x', updateEvery: ue, dimensions: [dimension('d')] }) });
  const rows: [number, number, number, number][] = [];
  for (let t = from; t <= to; t += ue) rows.push([1, 0, t, t]);
  r.applySamples(samples('g', rows));
  return r;
}

function batch(r: HostRegistry, after: number, before: number, source: 'sum' | 'average' = 'sum'): string {
  const f = new GraphiteFormatter({ prefix: 'p', sendNames: true, asCollected: false, labelsEnabled: false });
  walkBatch(
    r,
    { dataSource: source, hosts: SimplePattern.compile('*'), charts: SimplePattern.compile('*'), sendConfiguredLabels: false, sendAutomaticLabels: false, skipStaleCollected: false },
    f,
    after,
    before,
    0,
  );
  return f.finish().toString();
}

const sumOf = (a: number, b: number) => ((a + b) * (b - a + 1)) / 2;

describe('exporting windows (Netdata §7)', () => {
  it('update every 10 from t=1000: contiguous, non-overlapping windows 998..1006, 1007..1016, 1017..1026', () => {
    const r = registry();
    expect(batch(r, 1000, 1009)).toBe(`p.h.c.x.d ${sumOf(998, 1006)}.0000000 1006\n`);
    expect(batch(r, 1009, 1019)).toBe(`p.h.c.x.d ${sumOf(1007, 1016)}.0000000 1016\n`);
    expect(batch(r, 1019, 1029)).toBe(`p.h.c.x.d ${sumOf(1017, 1026)}.0000000 1026\n`);
    expect(batch(r, 1019, 1029, 'average')).toBe(`p.h.c.x.d 1021.5000000 1026\n`);
  });
  it('chart update every 2: aligned to the chart interval', () => {
    const r = registry(2, 990, 1040);
    // after 1000-4=996, before 1010-4=1006 -> 1006-2=1004; points 996..1004 step 2
    expect(batch(r, 1000, 1010)).toBe(`p.h.c.x.d ${996 + 998 + 1000 + 1002 + 1004}.0000000 1004\n`);
  });
  it('window clamped to stored data; outside it nothing is sent; gaps are skipped', () => {
    const r = registry(1, 1003, 1010);
    expect(batch(r, 1000, 1009)).toBe(`p.h.c.x.d ${sumOf(1003, 1006)}.0000000 1006\n`);
    expect(batch(r, 1030, 1040)).toBe('');
    r.applySamples(samples('g', [[1, 0, 1005, NaN]]));
    expect(batch(r, 1000, 1009, 'average')).toBe(`p.h.c.x.d ${formatAvg([1003, 1004, 1006])} 1006\n`);
  });
  it('samples for unknown chart indexes are ignored, a resubscription renumbers charts', () => {
    const r = registry();
    expect(r.applySamples(samples('g', [[9, 0, 1000, 1]]))).toBe(0);
    r.resetSubscription();
    expect(r.applySamples(samples('g', [[1, 0, 1000, 1]]))).toBe(0);
  });

  it('an obsolete chart and a removed host are forgotten: nothing exported, nothing recorded, until announced again', () => {
    const r = registry();
    r.applyChart({ machineGuid: 'g', chartIndex: 1, chart: chartDef({ id: 'c.x', options: 'obsolete', dimensions: [dimension('d')] }) });
    expect(r.hosts.get('g')?.charts.has('c.x')).toBe(false);
    expect(r.applySamples(samples('g', [[1, 0, 1041, 1]]))).toBe(0);
    expect(batch(r, 990, 1040)).toBe('');
    // Revived: a new definition without the option.
    r.applyChart({ machineGuid: 'g', chartIndex: 1, chart: chartDef({ id: 'c.x', dimensions: [dimension('d')] }) });
    expect(r.applySamples(samples('g', [[1, 0, 1042, 1]]))).toBe(1);
    r.removeHost('g');
    expect(r.hosts.has('g')).toBe(false);
    expect(r.applySamples(samples('g', [[1, 0, 1043, 1]]))).toBe(0);
  });
});

function formatAvg(v: number[]): string {
  return (v.reduce((a, b) => a + b, 0) / v.length).toFixed(7);
}
