import type { ChartSeries } from '../model/chart.series';
import type { NameOptions } from './graphite.formatter';
import type { HostView, MetricFormatter } from './metric.formatter';
import { graphiteNamePart, opentsdbTag } from './name.sanitizers';
import { formatCollected, formatFixed7 } from './number.format';

/** `put <prefix>.<chart>.<dimension> <timestamp> <value> host=<hostname>[ <labels>]\n` */
export class OpentsdbTelnetFormatter implements MetricFormatter {
  private out = '';
  private prefix = '';
  private tail = '';
  points = 0;

  constructor(private readonly opts: NameOptions) {}

  begin(): void {
    this.out = '';
    this.points = 0;
    this.prefix = 'put ' + opentsdbTag(this.opts.prefix) + '.';
  }

  beginHost(host: HostView): void {
    // With label sending on, Netdata always writes one space after host=..., even when no label follows.
    let tail = ' host=' + opentsdbTag(host.hostname);
    if (this.opts.labelsEnabled) {
      tail += ' ' + host.labels.map(([k, v]) => k + '=' + opentsdbTag(v)).join(' ');
    }
    this.tail = tail + '\n';
  }

  point(chart: ChartSeries, dim: number, value: number, ts: number): void {
    if (!Number.isFinite(value)) return;
    const [c, dims] = chart.graphiteNames(this.opts.sendNames, graphiteNamePart);
    const v = this.opts.asCollected ? formatCollected(value) : formatFixed7(value);
    this.out += this.prefix + c + '.' + dims[dim] + ' ' + ts + ' ' + v + this.tail;
    this.points++;
  }

  finish(): Buffer {
    return Buffer.from(this.out, 'utf8');
  }
}
