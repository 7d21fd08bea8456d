import type { SimplePattern } from '@tributary/simple-patterns';
import type { DataSource } from '../config/exporting.settings';
import type { HostView, MetricFormatter } from '../format/metric.formatter';
import type { HostEntry, HostRegistry } from './host.registry';
import { alignWindow } from './export.window';

export interface WalkOptions {
  dataSource: DataSource;
  hosts: SimplePattern;
  charts: SimplePattern;
  sendConfiguredLabels: boolean;
  sendAutomaticLabels: boolean;
  /** remote write and scrape skip dimensions not collected since `after` */
  skipStaleCollected: boolean;
}

const win = new Int32Array(2);
const acc = new Float64Array(2);

/** Host labels in Netdata's two classes: `_`-prefixed ones are the automatic labels, the rest are configured. */
export function hostLabels(h: HostEntry, configured: boolean, automatic: boolean): [string, string][] {
  const out: [string, string][] = [];
  if (!configured && !automatic) return out;
  for (const [k, v] of Object.entries(h.info.labels)) {
    if (k.startsWith('_') ? automatic : configured) out.push([k, v]);
  }
  return out;
}

export function hostView(h: HostEntry, opts: { sendConfiguredLabels: boolean; sendAutomaticLabels: boolean }): HostView {
  return {
    machineGuid: h.machineGuid,
    hostname: h.info.hostname || h.machineGuid,
    labels: hostLabels(h, opts.sendConfiguredLabels, opts.sendAutomaticLabels),
    programName: h.info.programName || 'netdata',
    programVersion: h.info.programVersion,
    variables: h.variables,
  };
}

/**
 * One batch: every matching host, chart and dimension, with the value of the connector's data source over
 * (after, before]. Returns the number of points handed to the formatter.
 */
export function walkBatch(
  registry: HostRegistry,
  opts: WalkOptions,
  formatter: MetricFormatter,
  after: number,
  before: number,
  nowMs: number,
): number {
  formatter.begin(nowMs);
  const asCollected = opts.dataSource === 'as-collected';
  const sum = opts.dataSource === 'sum';
  for (const h of registry.hosts.values()) {
    const view = hostView(h, opts);
    if (!opts.hosts.matches(view.hostname)) continue;
    formatter.beginHost(view);
    for (const chart of h.charts.values()) {
      if (chart.obsolete) continue;
      if (!chart.matchesCharts(opts.charts, () => opts.charts.matches(chart.id) || opts.charts.matches(chart.name))) continue;
      const dims = chart.dimensions;
      if (asCollected) {
        for (let d = 0; d < dims; d++) {
          const t = chart.collectedTime[d];
          if (t === 0 || chart.dimObsolete[d]) continue;
          if (opts.skipStaleCollected && t <= after) continue;
          formatter.point(chart, d, chart.collectedValue[d], t);
        }
        continue;
      }
      alignWindow(chart, after, before, win);
      const b = win[1];
      for (let d = 0; d < dims; d++) {
        const first = chart.firstTime[d];
        const last = chart.lastTime[d];
        if (last === 0) continue;
        const a = win[0] < first ? first : win[0];
        const bb = b > last ? last : b;
        if (a > bb) continue;
        chart.window(d, a, bb, acc);
        if (acc[1] === 0) continue;
        const v = sum ? acc[0] : acc[0] / acc[1];
        if (!Number.isFinite(v)) continue;
        formatter.point(chart, d, v, b);
      }
    }
  }
  return formatter.points;
}
