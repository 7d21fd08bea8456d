import { QueryResponse } from '@tributary/protocol';
import { formatData } from './data.formatter';
import { parseDataRequest } from './data.request';
import { formatValue } from './number.format';

function response(times: number[], rows: number[][], ids = ['a', 'b']): QueryResponse {
  const t = Buffer.alloc(times.length * 4);
  times.forEach((x, i) => t.writeUInt32LE(x, i * 4));
  const v = Buffer.alloc(times.length * ids.length * 8);
  rows.flat().forEach((x, i) => v.writeDoubleLE(x, i * 8));
  return {
    machineGuid: 'g',
    chartId: 'c.x',
    dimensionIds: ids,
    dimensionNames: ids.map((d) => d.toUpperCase()),
    after: times[0] - 1,
    before: times[times.length - 1],
    updateEvery: 1,
    rows: times.length,
    timeS: t,
    values: v,
    firstEntryS: 1,
    lastEntryS: 99,
  };
}

const fmt = (query: Record<string, string>, res: QueryResponse) =>
  formatData(res, { hostname: 'h', request: parseDataRequest({ chart: 'c.x', ...query }) });

describe('data formatter', () => {
  const res = () => response([10, 11, 12], [[1, -2], [NaN, NaN], [0.5, 0]]);

  it('prints values as Netdata does', () => {
    expect(formatValue(2.98507462)).toBe('2.9850746');
    expect(formatValue(55.27638)).toBe('55.27638');
    expect(formatValue(3)).toBe('3');
    expect(formatValue(-0.00000001)).toBe('0');
  });

  it('json: names as labels, newest first, null for gaps; flip and ms', () => {
    const out = fmt({}, res());
    expect(out.contentType).toMatch(/json/);
    expect(JSON.parse(out.body)).toEqual({ labels: ['time', 'A', 'B'], data: [[12, 0.5, 0], [11, null, null], [10, 1, -2]] });
    expect(JSON.parse(fmt({ options: 'flip|ms' }, res()).body).data.map((r: number[]) => r[0])).toEqual([10000, 11000, 12000]);
  });

  it('null2zero, abs and nonzero', () => {
    expect(JSON.parse(fmt({ options: 'null2zero,abs' }, res()).body).data).toEqual([[12, 0.5, 0], [11, 0, 0], [10, 1, 2]]);
    const nz = response([1, 2], [[0, 5], [0, NaN]]);
    expect(JSON.parse(fmt({ options: 'nonzero' }, nz).body).labels).toEqual(['time', 'B']);
  });

  it('csv and tsv with empty cells for gaps', () => {
    expect(fmt({ format: 'csv', options: 'seconds' }, res()).body).toBe('time,A,B\n12,0.5,0\n11,,\n10,1,-2\n');
    expect(fmt({ format: 'tsv', options: 'seconds' }, res()).body.split('\n')[0]).toBe('time\tA\tB');
  });

  it('array sums each row; jsonwrap wraps any format', () => {
    expect(JSON.parse(fmt({ format: 'array' }, res()).body)).toEqual([0.5, null, -1]);
    const w = JSON.parse(fmt({ format: 'csv', options: 'jsonwrap,seconds' }, res()).body);
    expect(w).toMatchObject({ format: 'csv', points: 3, after: 10, before: 12, min: -2, max: 1, dimension_names: ['A', 'B'] });
    expect(w.result).toBe('time,A,B\n12,0.5,0\n11,,\n10,1,-2\n');
    expect(w.latest_values).toEqual([0.5, 0]);
  });

  it('an empty answer is still well-formed', () => {
    const empty = response([], [], ['a']);
    expect(JSON.parse(fmt({}, empty).body)).toEqual({ labels: ['time', 'A'], data: [] });
    expect(JSON.parse(fmt({ format: 'array' }, empty).body)).toEqual([]);
  });
});
