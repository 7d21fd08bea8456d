import { ChartDef } from '@tributary/protocol';
import { formatFixed7 } from '../data/number.format';
import { ChartLatest } from './latest-values';

/** Netdata's shell variable names: upper case, anything not alphanumeric becomes '_'. */
export function shellName(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Netdata prints hidden dimensions too (system.cpu's idle) but leaves them out of VISIBLETOTAL; obsolete ones not at all. */
function listed(chart: ChartDef): Array<{ index: number; id: string; name: string; hidden: boolean }> {
  return chart.dimensions
    .map((d, index) => ({ index, id: d.id, name: d.name || d.id, options: d.options, hidden: /\bhidden\b/.test(d.options) }))
    .filter((d) => !/\bobsolete\b/.test(d.options));
}

export function allmetricsShell(charts: ChartDef[], latest: Map<string, ChartLatest>): string {
  let out = '';
  for (const chart of charts) {
    const l = latest.get(chart.id);
    if (!l) continue;
    const name = chart.name || chart.id;
    const prefix = `NETDATA_${shellName(name)}`;
    out += `\n# chart: ${chart.id} (name: ${name})\n`;
    let total = 0;
    for (const d of listed(chart)) {
      const v = l.values[d.index];
      const shown = Number.isNaN(v) ? 0 : Math.round(v);
      if (!d.hidden && !Number.isNaN(v)) total += v;
      out += `${prefix}_${shellName(d.name)}="${shown}"      # ${chart.units}\n`;
    }
    out += `${prefix}_VISIBLETOTAL="${Math.round(total)}"      # ${chart.units}\n`;
  }
  return out + '\n# NETDATA ALARMS RUNNING\n';
}

export function allmetricsJson(charts: ChartDef[], latest: Map<string, ChartLatest>): string {
  const parts: string[] = [];
  for (const chart of charts) {
    const l = latest.get(chart.id);
    if (!l) continue;
    const dims = listed(chart).map((d) => {
      const v = l.values[d.index];
      return `\t\t\t${JSON.stringify(d.id)}: {\n\t\t\t\t"name": ${JSON.stringify(d.name)},\n\t\t\t\t"value": ${Number.isNaN(v) ? 'null' : formatFixed7(v)}\n\t\t\t}`;
    });
    parts.push(
      `\t${JSON.stringify(chart.id)}: {\n\t\t"name":${JSON.stringify(chart.name || chart.id)},\n\t\t"family":${JSON.stringify(chart.family)},\n` +
        `\t\t"context":${JSON.stringify(chart.context)},\n\t\t"units":${JSON.stringify(chart.units)},\n\t\t"last_updated": ${l.lastUpdated},\n` +
        `\t\t"dimensions": {\n${dims.join(',\n')}\n\t\t}\n\t}`,
    );
  }
  return `{\n${parts.join(',\n')}\n}`;
}
