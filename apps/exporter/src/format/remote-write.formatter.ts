import { varintLength } from '@tributary/protocol';
import type { ChartSeries } from '../model/chart.series';
import type { HostView, MetricFormatter } from './metric.formatter';
import { prometheusName, prometheusNamePart, prometheusLabelValue, prometheusUnitsSuffix } from './name.sanitizers';
import { snappyCompress } from './snappy.encoder';
import type { DataSource } from '../config/exporting.settings';

export interface RemoteWriteOptions {
  prefix: string;
  sendNames: boolean;
  dataSource: DataSource;
  sendVariables: boolean;
}

const INCREMENTAL = new Set(['incremental', 'percentage-of-incremental-row']);

/** Netdata's metric name for a dimension (shared with the scrape endpoint). */
export function prometheusMetricName(
  chart: ChartSeries,
  dim: number,
  prefix: string,
  source: DataSource,
  sendNames: boolean,
  units: string,
): string {
  const ctx = prometheusNamePart(chart.def.context || chart.id);
  if (source === 'average') return prefix + '_' + ctx + units + '_average';
  if (source === 'sum') return prefix + '_' + ctx + '_sum';
  const total = INCREMENTAL.has(chart.dimAlgorithms[dim]) && chart.def.plugin !== 'prometheus' ? '_total' : '';
  if (chart.homogeneous) return prefix + '_' + ctx + total;
  const d = prometheusNamePart(sendNames ? chart.dimNames[dim] : chart.dimIds[dim]);
  return prefix + '_' + ctx + '_' + d + total;
}

/**
 * A growable protobuf writer for prometheus.WriteRequest: TimeSeries{1: Label{1 name, 2 value}, 2: Sample{1 double
 * value, 2 int64 timestamp}}. Sizes are computed before writing so nothing is built per point but bytes.
 */
class WriteRequestWriter {
  buf = Buffer.allocUnsafe(1 << 16);
  len = 0;
  private labels: string[] = [];
  private sizes = new Int32Array(96);

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const nb = Buffer.allocUnsafe(size);
    this.buf.copy(nb, 0, 0, this.len);
    this.buf = nb;
  }

  private varint(v: number): void {
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  reset(): void {
    this.len = 0;
  }

  /** labels as alternating name, value; written in the given order */
  series(labels: string[], value: number, timestampMs: number): void {
    this.labels = labels;
    let seriesSize = 0;
    if (this.sizes.length < (labels.length / 2) * 3) this.sizes = new Int32Array(labels.length * 2);
    const sizes = this.sizes;
    for (let i = 0, s = 0; i < labels.length; i += 2, s += 3) {
      const nl = Buffer.byteLength(labels[i]);
      const vl = Buffer.byteLength(labels[i + 1]);
      const ls = (nl ? 1 + varintLen(nl) + nl : 0) + (vl ? 1 + varintLen(vl) + vl : 0);
      sizes[s] = nl;
      sizes[s + 1] = vl;
      sizes[s + 2] = ls;
      seriesSize += 1 + varintLen(ls) + ls;
    }
    const ss = (value !== 0 || Object.is(value, -0) ? 9 : 0) + (timestampMs !== 0 ? 1 + varintLen64(timestampMs) : 0);
    seriesSize += 1 + varintLen(ss) + ss;
    this.ensure(1 + 10 + seriesSize);
    this.buf[this.len++] = 0x0a;
    this.varint(seriesSize);
    for (let i = 0, s = 0; i < this.labels.length; i += 2, s += 3) {
      this.buf[this.len++] = 0x0a;
      this.varint(sizes[s + 2]);
      if (sizes[s]) {
        this.buf[this.len++] = 0x0a;
        this.varint(sizes[s]);
        this.len += this.buf.write(this.labels[i], this.len, 'utf8');
      }
      if (sizes[s + 1]) {
        this.buf[this.len++] = 0x12;
        this.varint(sizes[s + 1]);
        this.len += this.buf.write(this.labels[i + 1], this.len, 'utf8');
      }
    }
    this.buf[this.len++] = 0x12;
    this.varint(ss);
    if (value !== 0 || Object.is(value, -0)) {
      this.buf[this.len++] = 0x09;
      this.buf.writeDoubleLE(value, this.len);
      this.len += 8;
    }
    if (timestampMs !== 0) {
      this.buf[this.len++] = 0x10;
      this.varint64(timestampMs);
    }
  }

  private varint64(v: number): void {
    if (v >= 0) {
      this.varint(v);
      return;
    }
    let b = BigInt.asUintN(64, BigInt(v));
    while (b >= 0x80n) {
      this.buf[this.len++] = Number(b & 0x7fn) | 0x80;
      b >>= 7n;
    }
    this.buf[this.len++] = Number(b);
  }
}

const varintLen = varintLength;

function varintLen64(v: number): number {
  return v < 0 ? 10 : varintLen(v);
}

/** Prometheus remote write 1.0 body (protobuf WriteRequest, snappy block) in Netdata's series and label order. */
export class RemoteWriteFormatter implements MetricFormatter {
  private readonly w = new WriteRequestWriter();
  private nowMs = 0;
  private instance = '';
  private readonly labels: string[] = ['__name__', '', 'chart', '', 'dimension', '', 'family', '', 'instance', ''];
  private readonly labelsNoDim: string[] = ['__name__', '', 'chart', '', 'family', '', 'instance', ''];
  /** Metric names per chart and dimension: fixed for this connector's prefix, source and naming. */
  private readonly names = new WeakMap<ChartSeries, string[]>();
  points = 0;

  constructor(private readonly opts: RemoteWriteOptions) {}

  begin(nowMs: number): void {
    this.w.reset();
    this.points = 0;
    this.nowMs = nowMs;
  }

  beginHost(host: HostView): void {
    this.instance = host.hostname;
    const info = ['__name__', 'netdata_info', 'application', host.programName, 'instance', host.hostname, 'version', host.programVersion];
    for (const [k, v] of host.labels) {
      const name = prometheusName(k);
      if (name && v) info.push(name, v);
    }
    this.w.series(info, 1, this.nowMs);
    if (this.opts.sendVariables) {
      for (const [name, value] of host.variables) {
        this.w.series(['__name__', this.opts.prefix + '_' + prometheusNamePart(name), 'instance', host.hostname], value, this.nowMs);
      }
    }
  }

  point(chart: ChartSeries, dim: number, value: number, ts: number): void {
    let names = this.names.get(chart);
    if (!names) {
      const units = this.opts.dataSource === 'average' ? prometheusUnitsSuffix(chart.def.units) : '';
      names = chart.dimIds.map((_, d) => prometheusMetricName(chart, d, this.opts.prefix, this.opts.dataSource, this.opts.sendNames, units));
      this.names.set(chart, names);
    }
    const name = names[dim];
    const chartLabel = prometheusLabelValue(this.opts.sendNames ? chart.name : chart.id);
    const family = prometheusLabelValue(chart.def.family);
    if (this.opts.dataSource === 'as-collected' && !chart.homogeneous) {
      const l = this.labelsNoDim;
      l[1] = name;
      l[3] = chartLabel;
      l[5] = family;
      l[7] = this.instance;
      this.w.series(l, value, ts * 1000);
    } else {
      const l = this.labels;
      l[1] = name;
      l[3] = chartLabel;
      l[5] = prometheusLabelValue(this.opts.sendNames ? chart.dimNames[dim] : chart.dimIds[dim]);
      l[7] = family;
      l[9] = this.instance;
      this.w.series(l, value, ts * 1000);
    }
    this.points++;
  }

  /** The uncompressed WriteRequest (tests decode it). */
  protobuf(): Buffer {
    return this.w.buf.subarray(0, this.w.len);
  }

  finish(): Buffer {
    return snappyCompress(this.protobuf());
  }
}
