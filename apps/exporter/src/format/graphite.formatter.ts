import type { ChartSeries } from '../model/chart.series';
import type { HostView, MetricFormatter } from './metric.formatter';
import { graphiteLabel, graphiteNamePart, graphitePrefixOrHost } from './name.sanitizers';
import { formatCollected, formatFixed7 } from './number.format';

export interface NameOptions {
  prefix: string;
  sendNames: boolean;
  asCollected: boolean;
  /** labels enabled at all (send configured labels or send automatic labels) */
  labelsEnabled: boolean;
}

/** `<prefix>.<hostname>.<chart>.<dimension>[;k=v...] <value> <timestamp>\n` */
export class GraphiteFormatter implements MetricFormatter {
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
    this.head = graphitePrefixOrHost(this.opts.prefix) + '.' + graphitePrefixOrHost(host.hostname) + '.';
    let tags = '';
    for (const [k, v] of host.labels) tags += ';' + graphiteLabel(k) + '=' + graphiteLabel(v);
    this.tags = tags;
  }

  point(chart: ChartSeries, dim: number, value: number, ts: number): void {
    const [c, dims] = chart.graphiteNames(this.opts.sendNames, graphiteNamePart);
    const v = this.opts.asCollected ? formatCollected(value) : formatFixed7(value);
    this.out += this.head + c + '.' + dims[dim] + this.tags + ' ' + v + ' ' + ts + '\n';
    this.points++;
  }

  finish(): Buffer {
    return Buffer.from(this.out, 'utf8');
  }
}
