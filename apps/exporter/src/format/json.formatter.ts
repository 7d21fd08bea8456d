import type { ChartSeries } from '../model/chart.series';
import type { NameOptions } from './graphite.formatter';
import type { HostView, MetricFormatter } from './metric.formatter';
import { jsonEscape } from './name.sanitizers';
import { formatCollected, formatFixed7 } from './number.format';

/**
 * Netdata's JSON connector. Plain TCP: one object per line; HTTP: a JSON array (`[\n` ... `,\n` ... `\n]\n`).
 * Average/sum keep Netdata's quirk of a space after the colon of chart_context, units and timestamp.
 */
export class JsonFormatter implements MetricFormatter {
  private out = '';
  private head = '';
  /** Per chart, per dimension: everything between the host part and the value (escaped once). */
  private readonly parts = new WeakMap<ChartSeries, string[]>();
  points = 0;

  constructor(
    private readonly opts: NameOptions,
    private readonly http: boolean,
  ) {}

  begin(): void {
    this.out = '';
    this.points = 0;
  }

  beginHost(host: HostView): void {
    let head = '{"prefix":"' + jsonEscape(this.opts.prefix) + '","hostname":"' + jsonEscape(host.hostname) + '",';
    if (this.opts.labelsEnabled) {
      head += '"labels":{' + host.labels.map(([k, v]) => '"' + jsonEscape(k) + '":"' + jsonEscape(v) + '"').join(',') + '},';
    }
    this.head = head;
  }

  point(chart: ChartSeries, dim: number, value: number, ts: number): void {
    const sp = this.opts.asCollected ? '' : ' ';
    let parts = this.parts.get(chart);
    if (!parts) {
      const def = chart.def;
      const head =
        '"chart_id":"' + jsonEscape(chart.id) +
        '","chart_name":"' + jsonEscape(chart.name) +
        '","chart_family":"' + jsonEscape(def.family) +
        '","chart_context":' + sp + '"' + jsonEscape(def.context) +
        '","chart_type":"' + jsonEscape(chart.type) +
        '","units":' + sp + '"' + jsonEscape(def.units) + '","id":"';
      parts = chart.dimIds.map((id, d) => head + jsonEscape(id) + '","name":"' + jsonEscape(chart.dimNames[d]) + '","value":');
      this.parts.set(chart, parts);
    }
    let v: string;
    if (this.opts.asCollected) v = Number.isFinite(value) ? formatCollected(value) : 'null';
    else v = formatFixed7(value);
    const rec = this.head + parts[dim] + v + ',"timestamp":' + sp + ts + '}';
    if (this.http) this.out += (this.points === 0 ? '' : ',\n') + rec;
    else this.out += rec + '\n';
    this.points++;
  }

  finish(): Buffer {
    return Buffer.from(this.http ? '[\n' + this.out + '\n]\n' : this.out, 'utf8');
  }
}
