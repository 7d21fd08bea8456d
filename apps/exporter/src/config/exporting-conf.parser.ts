import { existsSync, readFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import {
  ConfigIssues,
  parseIni,
  readExportingConf,
  readNetdataConf,
  type ExportingDataSource,
  type ExportingInstance,
  type IniDocument,
} from '@tributary/config';
import type { ConnectorKind, ConnectorSettings, DataSource, ExportingSettings } from './exporting.settings';

/**
 * exporting.conf through @tributary/config (Netdata's INI rules, defaults and FILE:LINE errors), mapped to the
 * exporter's own settings. Only netdata.conf (for the default hostname) and exporting.conf are read, so a problem in
 * stream.conf or health.d never stops the exporter.
 */

const SOURCES: Record<string, DataSource> = {
  'as collected': 'as-collected',
  'as-collected': 'as-collected',
  as_collected: 'as-collected',
  ascollected: 'as-collected',
  raw: 'as-collected',
  average: 'average',
  sum: 'sum',
  volume: 'sum',
};

/** The scrape endpoint's `source=` spellings (Netdata accepts the same words as `data source`). */
export function parseDataSource(v: string): DataSource | undefined {
  return SOURCES[v.trim().toLowerCase()];
}

function readDoc(path: string, issues: ConfigIssues): IniDocument {
  if (!existsSync(path)) return { file: path, sections: new Map() };
  return parseIni(readFileSync(path, 'utf8'), path, issues);
}

function kindOf(k: ExportingInstance['kind']): ConnectorKind {
  return k === 'prometheus_remote_write' ? 'remote_write' : k;
}

function source(s: ExportingDataSource): DataSource {
  return s;
}

function typeOf(section: string): string {
  const colon = section.lastIndexOf(':');
  return colon < 0 ? section : section.slice(0, colon);
}

function toSettings(i: ExportingInstance): ConnectorSettings {
  return {
    section: i.section,
    type: typeOf(i.section),
    kind: kindOf(i.kind),
    http: i.transport === 'http',
    tls: i.tls,
    instanceName: i.name,
    enabled: i.enabled,
    destinationText: i.destinationText,
    destinations: i.destination
      .filter((d) => d.protocol === 'tcp')
      .map((d) => ({ host: d.host, port: d.port, text: (d.host.includes(':') ? `[${d.host}]` : d.host) + ':' + d.port })),
    username: i.username,
    password: i.password,
    dataSource: source(i.dataSource),
    hostname: i.hostname,
    prefix: i.prefix,
    updateEvery: i.updateEvery,
    bufferOnFailures: i.bufferOnFailures,
    timeoutMs: i.timeoutMs,
    sendNames: i.sendNamesInsteadOfIds,
    sendChartsMatching: i.sendChartsMatching.text,
    sendHostsMatching: i.sendHostsMatching.text,
    sendConfiguredLabels: i.sendConfiguredLabels,
    sendAutomaticLabels: i.sendAutomaticLabels,
    sendVariables: i.sendVariables,
    remoteWritePath: i.remoteWriteUrlPath,
    // Netdata verifies exporting TLS peers unless told not to; Tributary has no option for that yet.
    tlsSkipVerify: process.env['EXPORTING_TLS_SKIP_VERIFY'] === 'yes',
  };
}

function build(exportingDoc: IniDocument, netdataHostname: string, issues: ConfigIssues): ExportingSettings {
  const conf = readExportingConf(exportingDoc, netdataHostname, issues);
  issues.throwIfAny();
  const p = conf.prometheusExporter;
  return {
    connectors: conf.instances.map(toSettings),
    prometheus: {
      dataSource: source(p.dataSource),
      sendNames: p.sendNamesInsteadOfIds,
      sendConfiguredLabels: p.sendConfiguredLabels,
      sendAutomaticLabels: p.sendAutomaticLabels,
      sendChartsMatching: p.sendChartsMatching.text,
      prefix: p.prefix,
      labelPrefix: p.netdataLabelPrefix,
      updateEvery: p.updateEvery,
    },
    warnings: issues.warnings.map((w) => w.message),
  };
}

/** Boot: `<dir>/exporting.conf` (+ netdata.conf's `[global] hostname`). Throws a ConfigError listing every error. */
export function loadExportingSettings(configDir: string): ExportingSettings {
  const issues = new ConfigIssues();
  const netdata = readNetdataConf(readDoc(join(configDir, 'netdata.conf'), issues), configDir, issues);
  return build(readDoc(join(configDir, 'exporting.conf'), issues), netdata.global.hostname, issues);
}

/** exporting.conf text (tests, benchmarks). */
export function parseExportingConf(text: string, file = 'exporting.conf', hostname = osHostname()): ExportingSettings {
  const issues = new ConfigIssues();
  return build(parseIni(text, file, issues), hostname, issues);
}
