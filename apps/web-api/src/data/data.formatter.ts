import { QueryResponse } from '@tributary/protocol';
import { DataRequest } from './data.request';
import { formatDateTime, formatValue } from './number.format';
import { decodeQueryResponse, QueryResult, selectDimensions } from './query.result';

export interface FormattedBody {
  contentType: string;
  body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

function transform(r: QueryResult, options: Set<string>): QueryResult {
  const abs = options.has('abs') || options.has('absolute');
  const null2zero = options.has('null2zero');
  if (abs || null2zero) {
    for (let i = 0; i < r.values.length; i++) {
      const v = r.values[i];
      if (Number.isNaN(v)) {
        if (null2zero) r.values[i] = 0;
      } else if (abs && v < 0) r.values[i] = -v;
    }
  }
  if (!options.has('nonzero')) return r;
  const dims = r.dimensionIds.length;
  const keep: number[] = [];
  for (let d = 0; d < dims; d++) {
    for (let row = 0; row < r.rows; row++) {
      const v = r.values[row * dims + d];
      if (v !== 0 && !Number.isNaN(v)) {
        keep.push(d);
        break;
      }
    }
  }
  // Netdata keeps every dimension when all are zero, so a chart never loses its columns entirely.
  return keep.length ? selectDimensions(r, keep) : r;
}

/** Row indexes in output order: Netdata sends the newest row first unless options=flip. */
function rowOrder(r: QueryResult, options: Set<string>): number[] {
  const order = Array.from({ length: r.rows }, (_, i) => i);
  return options.has('flip') || options.has('reversed') ? order : order.reverse();
}

function timeLabel(t: number, options: Set<string>, asDate: boolean): string {
  if (options.has('ms') || options.has('milliseconds')) return String(t * 1000);
  if (options.has('seconds') || !asDate) return String(t);
  return formatDateTime(t);
}

function cell(v: number): string {
  return Number.isNaN(v) ? 'null' : formatValue(v);
}

function rowSum(r: QueryResult, row: number): number {
  const dims = r.dimensionIds.length;
  let sum = 0;
  let any = false;
  for (let d = 0; d < dims; d++) {
    const v = r.values[row * dims + d];
    if (!Number.isNaN(v)) {
      sum += v;
      any = true;
    }
  }
  return any ? sum : NaN;
}

function jsonBody(r: QueryResult, order: number[], options: Set<string>): string {
  const dims = r.dimensionIds.length;
  const labels = ['time', ...r.dimensionNames].map((l) => JSON.stringify(l)).join(',');
  const lines = order.map((row) => {
    let line = ` [ ${timeLabel(r.times[row], options, false)}`;
    for (let d = 0; d < dims; d++) line += ',' + cell(r.values[row * dims + d]);
    return line + ']';
  });
  return `{\n "labels": [${labels}],\n    "data":\n [\n${lines.join(',\n')}${lines.length ? '\n' : ''}]\n}`;
}

function separatedBody(r: QueryResult, order: number[], options: Set<string>, sep: string): string {
  const dims = r.dimensionIds.length;
  let out = ['time', ...r.dimensionNames].join(sep) + '\n';
  for (const row of order) {
    out += timeLabel(r.times[row], options, true);
    for (let d = 0; d < dims; d++) {
      const v = r.values[row * dims + d];
      out += sep + (Number.isNaN(v) ? '' : formatValue(v));
    }
    out += '\n';
  }
  return out;
}

function arrayBody(r: QueryResult, order: number[]): string {
  return '[' + order.map((row) => cell(rowSum(r, row))).join(',') + ']';
}

function csvJsonArrayBody(r: QueryResult, order: number[], options: Set<string>): string {
  const dims = r.dimensionIds.length;
  const lines = [JSON.stringify(['time', ...r.dimensionNames])];
  for (const row of order) {
    const cells = [timeLabel(r.times[row], options, false)];
    for (let d = 0; d < dims; d++) cells.push(cell(r.values[row * dims + d]));
    lines.push(`[${cells.join(',')}]`);
  }
  return `[\n${lines.join(',\n')}\n]`;
}

function minMax(r: QueryResult, order: number[], array: boolean): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  const see = (v: number) => {
    if (Number.isNaN(v)) return;
    if (v < min) min = v;
    if (v > max) max = v;
  };
  if (array) for (const row of order) see(rowSum(r, row));
  else for (let i = 0; i < r.values.length; i++) see(r.values[i]);
  return Number.isFinite(min) ? { min, max } : { min: 0, max: 0 };
}

/** The newest non-null value of each dimension (Netdata's latest_values; view_latest_values is the newest row). */
function latest(r: QueryResult): { latest: string[]; view: string[] } {
  const dims = r.dimensionIds.length;
  const latestValues: string[] = [];
  const view: string[] = [];
  for (let d = 0; d < dims; d++) {
    view.push(r.rows ? cell(r.values[(r.rows - 1) * dims + d]) : 'null');
    let v = NaN;
    for (let row = r.rows - 1; row >= 0 && Number.isNaN(v); row--) v = r.values[row * dims + d];
    latestValues.push(cell(v));
  }
  return { latest: latestValues, view };
}

export interface WrapContext {
  hostname: string;
  request: DataRequest;
}

/** Renders a metric-store answer as Netdata's /api/v1/data does for the requested format and options. */
export function formatData(res: QueryResponse, ctx: WrapContext): FormattedBody {
  const { request } = ctx;
  const options = request.options;
  const r = transform(decodeQueryResponse(res), options);
  const order = rowOrder(r, options);
  let body: string;
  let contentType = TEXT_TYPE;
  switch (request.format) {
    case 'json':
      body = jsonBody(r, order, options);
      contentType = JSON_TYPE;
      break;
    case 'array':
      body = arrayBody(r, order);
      contentType = JSON_TYPE;
      break;
    case 'csvjsonarray':
      body = csvJsonArrayBody(r, order, options);
      contentType = JSON_TYPE;
      break;
    case 'csv':
      body = separatedBody(r, order, options, ',');
      break;
    case 'tsv':
      body = separatedBody(r, order, options, '\t');
      break;
    case 'ssv':
      body = separatedBody(r, order, options, ' ');
      break;
    case 'ssvcomma':
      body = separatedBody(r, order, options, ';');
      break;
  }
  if (!options.has('jsonwrap')) return { contentType, body };

  const optionList = [...options].join(',');
  const dimsText = request.dimensions.length ? request.dimensions.join('|') : '*';
  const id = `chart://host:${ctx.hostname}/instance:${request.chart}/dimensions:${dimsText}/after:${request.after}/before:${request.before}/points:${request.points}/group:${request.group}/options:${optionList}`;
  const { latest: latestValues, view } = latest(r);
  const { min, max } = minMax(r, order, request.format === 'array');
  const viewEvery = r.rows > 1 ? Math.max(1, Math.round((r.times[r.rows - 1] - r.times[0]) / (r.rows - 1))) : res.updateEvery;
  const result = contentType === JSON_TYPE ? body : JSON.stringify(body);
  const q = (s: string) => JSON.stringify(s);
  const wrapped =
    `{\n   "api": 1,\n   "id": ${q(id)},\n   "name": ${q(id)},\n` +
    `   "view_update_every": ${viewEvery},\n   "update_every": ${res.updateEvery},\n` +
    `   "first_entry": ${res.firstEntryS},\n   "last_entry": ${res.lastEntryS},\n` +
    `   "before": ${r.rows ? r.times[r.rows - 1] : res.before},\n   "after": ${r.rows ? r.times[0] : res.after},\n` +
    `   "group": ${q(request.group)},\n   "options": ${q(optionList)},\n` +
    `   "dimension_names": [${r.dimensionNames.map(q).join(', ')}],\n` +
    `   "dimension_ids": [${r.dimensionIds.map(q).join(', ')}],\n` +
    `   "functions": [],\n` +
    `   "latest_values": [${latestValues.join(', ')}],\n` +
    `   "view_latest_values": [${view.join(', ')}],\n` +
    `   "dimensions": ${r.dimensionIds.length},\n   "points": ${r.rows},\n   "format": ${q(request.format)},\n` +
    `   "db_points_per_tier": [ ${r.rows} ],\n` +
    `   "result": ${result},\n "min": ${formatValue(min)},\n "max": ${formatValue(max)}\n}`;
  return { contentType: JSON_TYPE, body: wrapped };
}
