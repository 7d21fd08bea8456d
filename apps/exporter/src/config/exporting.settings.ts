// Typed exporting.conf, resolved per connector instance (exporting-formats.md §8).

export type ConnectorKind = 'graphite' | 'opentsdb' | 'json' | 'remote_write';
export type DataSource = 'as-collected' | 'average' | 'sum';

export interface Destination {
  host: string;
  port: number;
  /** the entry as written, for status and logs */
  text: string;
}

export interface ConnectorSettings {
  /** section name, e.g. "graphite:my_graphite" */
  section: string;
  /** connector type as written, e.g. "opentsdb:http" */
  type: string;
  kind: ConnectorKind;
  http: boolean;
  tls: boolean;
  instanceName: string;
  enabled: boolean;
  destinationText: string;
  destinations: Destination[];
  username: string;
  password: string;
  dataSource: DataSource;
  hostname: string;
  prefix: string;
  updateEvery: number;
  bufferOnFailures: number;
  timeoutMs: number;
  sendNames: boolean;
  sendChartsMatching: string;
  sendHostsMatching: string;
  sendConfiguredLabels: boolean;
  sendAutomaticLabels: boolean;
  sendVariables: boolean;
  remoteWritePath: string;
  tlsSkipVerify: boolean;
}

export interface PrometheusExporterSettings {
  dataSource: DataSource;
  sendNames: boolean;
  sendConfiguredLabels: boolean;
  sendAutomaticLabels: boolean;
  sendChartsMatching: string;
  prefix: string;
  labelPrefix: string;
  updateEvery: number;
}

export interface ExportingSettings {
  connectors: ConnectorSettings[];
  prometheus: PrometheusExporterSettings;
  warnings: string[];
}
