import { badRequest } from '../http/api.error';

export type DataFormat = 'json' | 'csv' | 'tsv' | 'ssv' | 'ssvcomma' | 'array' | 'csvjsonarray';

export interface DataRequest {
  chart: string;
  after: number;
  before: number;
  points: number;
  group: string;
  groupTime: number;
  dimensions: string[];
  format: DataFormat;
  options: Set<string>;
}

const FORMATS: Record<string, DataFormat> = {
  json: 'json',
  jsonwrap: 'json', // an option in Netdata; accepted as a format too (it implies options=jsonwrap)
  csv: 'csv',
  tsv: 'tsv',
  'tsv-excel': 'tsv',
  ssv: 'ssv',
  ssvcomma: 'ssvcomma',
  array: 'array',
  csvjsonarray: 'csvjsonarray',
};

export const GROUPS = ['average', 'avg', 'mean', 'min', 'max', 'sum', 'median', 'incremental-sum', 'incremental_sum', 'none'];

type Query = Record<string, unknown>;

function one(query: Query, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = query[n];
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  }
  return undefined;
}

function integer(value: string | undefined, name: string, fallback: number, min = -Infinity): number {
  if (value === undefined || value === '') return fallback;
  if (!/^[-+]?\d+$/.test(value.trim())) throw badRequest(`Invalid '${name}' parameter: '${value}' is not an integer.`);
  const n = Number(value);
  if (n < min) throw badRequest(`Invalid '${name}' parameter: ${value} is below ${min}.`);
  return n;
}

/** Parses /api/v1/data's query string; a malformed number or unknown format is a 400 with the offending value. */
export function parseDataRequest(query: Query): DataRequest {
  const chart = one(query, 'chart', 'context');
  if (!chart) throw badRequest('No chart or context is given.');
  const formatName = (one(query, 'format') ?? 'json').toLowerCase();
  const format = FORMATS[formatName];
  if (!format) throw badRequest(`Unknown format '${formatName}': use one of ${Object.keys(FORMATS).join(', ')}.`);
  const options = new Set(
    (one(query, 'options') ?? '')
      .split(/[ ,|]+/)
      .map((o) => o.trim().toLowerCase())
      .filter(Boolean),
  );
  if (formatName === 'jsonwrap') options.add('jsonwrap');
  const group = (one(query, 'group') ?? 'average').toLowerCase();
  if (!GROUPS.includes(group)) throw badRequest(`Unknown group method '${group}': use one of ${GROUPS.join(', ')}.`);
  const dims = one(query, 'dimensions', 'dimension', 'dim', 'dims');
  return {
    chart,
    after: integer(one(query, 'after'), 'after', -600),
    before: integer(one(query, 'before'), 'before', 0),
    points: integer(one(query, 'points'), 'points', 0, 0),
    group: group === 'avg' || group === 'mean' ? 'average' : group === 'incremental_sum' ? 'incremental-sum' : group,
    groupTime: integer(one(query, 'gtime'), 'gtime', 0, 0),
    dimensions: dims ? dims.split(/[|,]/).map((d) => d.trim()).filter(Boolean) : [],
    format,
    options,
  };
}
