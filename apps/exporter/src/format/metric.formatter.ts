import type { ChartSeries } from '../model/chart.series';

/** What a formatter needs to know about the host whose points follow (computed once per host per batch). */
export interface HostView {
  machineGuid: string;
  /** hostname as exported (the `hostname` option for the parent itself, else the child's hostname) */
  hostname: string;
  /** host labels that passed `send configured labels` / `send automatic labels`, in label order */
  labels: [string, string][];
  programName: string;
  programVersion: string;
  variables: Map<string, number>;
}

/**
 * One connector's wire format. The batch walker calls beginHost once per exported host, then point() per
 * exported dimension with the already computed value; formatters keep only strings/bytes, never per-point objects.
 */
export interface MetricFormatter {
  begin(nowMs: number): void;
  beginHost(host: HostView): void;
  /** timestampS: window end (average/sum) or the last collection time (as-collected) */
  point(chart: ChartSeries, dim: number, value: number, timestampS: number): void;
  /** Bytes of the batch (for HTTP connectors: the body). */
  finish(): Buffer;
  readonly points: number;
}
