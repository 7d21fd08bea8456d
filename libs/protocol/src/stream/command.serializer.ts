// Lines in the exact shapes a 1.37 agent writes them (rrdpush.c, replication.c), so a real parent accepts them.

/** Netdata sanitises quoted text: quotes become '_', backslash becomes '/'. */
export function quoted(s: string): string {
  return `"${s.replace(/["']/g, '_').replace(/\\/g, '/')}"`;
}

/** %0.7Lf, with Netdata's spellings of the non-finite values. */
export function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'NAN';
  if (!Number.isFinite(v)) return v > 0 ? 'INF' : '-INF';
  return v.toFixed(7);
}

export interface ChartLine {
  id: string;
  name?: string;
  title: string;
  units: string;
  family: string;
  context: string;
  chartType: string;
  priority: number;
  updateEvery: number;
  options?: string;
  plugin?: string;
  module?: string;
}

export interface DimensionLine {
  id: string;
  name?: string;
  algorithm: string;
  multiplier: number;
  divisor: number;
  options?: string;
}

export function serializeChart(c: ChartLine): string {
  const dot = c.id.indexOf('.');
  const bare = c.name && c.name !== c.id ? (c.name.startsWith(c.id.slice(0, dot + 1)) ? c.name.slice(dot + 1) : c.name) : '';
  return `CHART ${quoted(c.id)} ${quoted(bare)} ${quoted(c.title)} ${quoted(c.units)} ${quoted(c.family)} ${quoted(c.context)} ${quoted(c.chartType)} ${Math.trunc(c.priority)} ${Math.trunc(c.updateEvery)} ${quoted(c.options ?? '   ')} ${quoted(c.plugin ?? '')} ${quoted(c.module ?? '')}\n`;
}

export function serializeDimension(d: DimensionLine): string {
  return `DIMENSION ${quoted(d.id)} ${quoted(d.name ?? d.id)} ${quoted(d.algorithm)} ${Math.trunc(d.multiplier)} ${Math.trunc(d.divisor)} ${quoted(d.options ?? '  ')}\n`;
}

export const serializeChartLabel = (name: string, value: string, source: number): string =>
  `CLABEL ${quoted(name)} ${quoted(value)} ${source}\n`;
export const CLABEL_COMMIT_LINE = 'CLABEL_COMMIT\n';
export const serializeChartDefinitionEnd = (first: number, last: number, now: number): string =>
  `CHART_DEFINITION_END ${first} ${last} ${now}\n`;
export const serializeHostLabel = (name: string, source: number, value: string): string =>
  `LABEL ${quoted(name)} = ${source} ${quoted(value)}\n`;
export const OVERWRITE_LABELS_LINE = 'OVERWRITE labels\n';
export const serializeClaimedId = (guid: string, claimId: string | null): string => `CLAIMED_ID ${guid} ${claimId ?? 'NULL'}\n`;
export const serializeBegin = (chartId: string, microseconds: number): string => `BEGIN ${quoted(chartId)} ${microseconds}\n`;
export const serializeSet = (dimId: string, collected: number): string => `SET ${quoted(dimId)} = ${Math.trunc(collected)}\n`;
export const END_LINE = 'END\n';
export const serializeVariable = (scope: 'HOST' | 'CHART', name: string, value: number): string =>
  `VARIABLE ${scope} ${name} = ${formatDouble(value)}\n`;

/** Parent -> child replication request. after = before = 0 is the empty request. */
export const serializeReplayChart = (chartId: string, startStreaming: boolean, after: number, before: number): string =>
  `REPLAY_CHART ${quoted(chartId)} "${startStreaming ? 'true' : 'false'}" ${after} ${before}\n`;

export const serializeRBeginChart = (chartId: string): string => `RBEGIN ${quoted(chartId)}\n`;
export const serializeRBeginPoint = (start: number, end: number, wallclock: number): string =>
  `RBEGIN '' ${start} ${end} ${wallclock}\n`;
export const serializeRSet = (dimId: string, value: number, flags = ''): string =>
  `RSET ${quoted(dimId)} ${formatDouble(value)} "${flags}"\n`;
export const serializeRDState = (dimId: string, lastCollectedUs: number, lastCollected: number, lastCalculated: number, lastStored: number): string =>
  `RDSTATE ${quoted(dimId)} ${lastCollectedUs} ${Math.trunc(lastCollected)} ${formatDouble(lastCalculated)} ${formatDouble(lastStored)}\n`;
export const serializeRSState = (lastCollectedUs: number, lastUpdatedUs: number): string => `RSSTATE ${lastCollectedUs} ${lastUpdatedUs}\n`;
export const serializeREnd = (
  updateEvery: number, dbFirst: number, dbLast: number, startStreaming: boolean, after: number, before: number, now: number,
): string => `REND ${updateEvery} ${dbFirst} ${dbLast} ${startStreaming ? 'true' : 'false'} ${after} ${before} ${now}\n`;

/** How a 1.37 child answers a FUNCTION it cannot route; the parent sends the same for functions it does not serve. */
export function serializeFunctionResult(transaction: string, httpCode: number, contentType: string, expires: number, payload: string): string {
  return `FUNCTION_RESULT_BEGIN ${quoted(transaction)} ${httpCode} ${quoted(contentType)} ${expires}\n${payload}\nFUNCTION_RESULT_END\n`;
}
