import type { ChartSeries } from '../model/chart.series';
import type { NameOptions } from './graphite.formatter';
import type { HostView, MetricFormatter } from './metric.formatter';
import { graphiteNamePart, jsonEscape, opentsdbTag } from './name.sanitizers';
import { formatCollected, formatFixed7 } from './number.format';

/** Body of `POST /api/put`: `[\n` + records joined by `,\n` + `\n]\n`. */
export class OpentsdbHttpFormatter implements MetricFormatter {
  private out = '';
  private head = '';
  private tags = '';
  points = 0;

  constructor(private readonly opts: NameOptions) {}

  begin(): void {
    this.out = '';
    this.points = 0;
  }

  beginHost(host: HostView): void {
    this.head = '{"metric":"' + jsonEscape(this.opts.prefix) + '.';
    let tags = '"tags":{"host":"' + jsonEscape(host.hostname) + '"';
    if (this.opts.labelsEnabled) {
      for (const [k, v] of host.labels) tags += ',"' + jsonEscape(k) + '":"' + jsonEscape(opentsdbTag(v)) + '"';
    }
    this.tags = tags + '}}';
  }

  point(chart: ChartSeries, dim: number, value: number, ts: number): void {
    if (!Number.isFinite(value)) return;
    const [c, dims] = chart.graphiteNames(this.opts.sendNames, graphiteNamePart);
    const v = this.opts.asCollected ? formatCollected(value) : formatFixed7(value);
    const rec = this.head + jsonEscape(c) + '.' + jsonEscape(dims[dim]) + '","timestamp":' + ts + ',"value":' + v + ',' + this.tags;
    this.out += (this.points === 0 ? '' : ',\n') + rec;
    this.points++;
  }

  finish(): Buffer {
    return Buffer.from('[\n' + this.out + '\n]\n', 'utf8');
  }
}
