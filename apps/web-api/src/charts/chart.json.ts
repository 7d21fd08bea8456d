import { ChartDef, Variable } from '@tributary/protocol';

/** One chart as Netdata 1.37's /api/v1/chart and the values of /api/v1/charts' "charts" object, same key order. */
export function chartJson(chart: ChartDef, variables: Variable[]): Record<string, unknown> {
  const dot = chart.id.indexOf('.');
  const updateEvery = chart.updateEvery || 1;
  const first = chart.firstEntryS;
  const last = chart.lastEntryS;
  const dimensions: Record<string, { name: string }> = {};
  for (const d of chart.dimensions) {
    // Netdata 1.37 lists neither hidden (e.g. system.cpu's idle) nor obsolete dimensions here.
    if (isHiddenDimension(d.options)) continue;
    dimensions[d.id] = { name: d.name || d.id };
  }
  const chartVariables: Record<string, number> = {};
  for (const v of variables) if (v.chartId === chart.id) chartVariables[v.name] = v.value;
  return {
    id: chart.id,
    name: chart.name || chart.id,
    type: dot < 0 ? chart.id : chart.id.slice(0, dot),
    family: chart.family,
    context: chart.context,
    title: chart.title.endsWith(`(${chart.name || chart.id})`) ? chart.title : `${chart.title} (${chart.name || chart.id})`,
    priority: chart.priority,
    plugin: chart.plugin,
    module: chart.module,
    units: chart.units,
    data_url: `/api/v1/data?chart=${chart.name || chart.id}`,
    chart_type: chart.chartType || 'line',
    duration: first && last ? last - first + updateEvery : 0,
    first_entry: first,
    last_entry: last,
    update_every: updateEvery,
    dimensions,
    chart_variables: chartVariables,
    green: null,
    red: null,
    alarms: {},
    chart_labels: { ...chart.labels },
    functions: {},
  };
}

export function isHiddenDimension(options: string): boolean {
  return /\b(hidden|obsolete)\b/.test(options);
}

export function isObsoleteChart(chart: ChartDef): boolean {
  return /\bobsolete\b/.test(chart.options);
}
