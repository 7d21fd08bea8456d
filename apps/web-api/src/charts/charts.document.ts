import { ChartDef, Variable } from '@tributary/protocol';
import { KnownHost } from '../hosts/known-host';
import { chartJson, isObsoleteChart } from './chart.json';

export interface ChartsDocumentInput {
  host: KnownHost;
  version: string;
  charts: ChartDef[];
  variables: Variable[];
  allHosts: KnownHost[];
  alarmsCount: number;
}

/** Netdata 1.37's /api/v1/charts document (tab-indented by the caller). */
export function chartsDocument(input: ChartsDocumentInput): Record<string, unknown> {
  const info = input.host.record?.info;
  const charts: Record<string, unknown> = {};
  let dims = 0;
  const live = input.charts.filter((c) => !isObsoleteChart(c)).sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id));
  for (const c of live) {
    const json = chartJson(c, input.variables);
    charts[c.id] = json;
    dims += Object.keys(json['dimensions'] as object).length;
  }
  const updateEvery = info?.updateEvery || 1;
  return {
    hostname: input.host.hostname,
    version: input.host.isParent ? input.version : info?.programVersion || input.version,
    release_channel: 'stable',
    os: info?.os || 'linux',
    timezone: info?.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone,
    update_every: updateEvery,
    history: info?.historySeconds ? Math.floor(info.historySeconds / updateEvery) : 3600,
    memory_mode: info?.memoryMode || 'dbengine',
    custom_info: '',
    charts,
    charts_count: live.length,
    dimensions_count: dims,
    alarms_count: input.alarmsCount,
    rrd_memory_bytes: 0,
    hosts_count: input.allHosts.length,
    hosts: input.allHosts.map((h) => ({ hostname: h.hostname })),
  };
}
