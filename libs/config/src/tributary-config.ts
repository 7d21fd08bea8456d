import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, ConfigIssues, ConfigWarning } from './config-error';
import { ExportingConf, readExportingConf } from './exporting-conf.schema';
import { parseHealthText } from './health.parser';
import { HealthDefinition } from './health.types';
import { IniDocument, parseIni } from './ini.parser';
import { NetdataConf, readNetdataConf } from './netdata-conf.schema';
import { readStreamConf, StreamConf } from './stream-conf.schema';

export interface TributaryConfig {
  /** The directory the files were read from. */
  readonly dir: string;
  readonly netdata: NetdataConf;
  readonly stream: StreamConf;
  readonly exporting: ExportingConf;
  /** Every alarm and template of `health.d/*.conf`, files in name order. */
  readonly health: readonly HealthDefinition[];
  /** Unknown options, ignored lines ...: log each once at boot. */
  readonly warnings: readonly ConfigWarning[];
}

function readDoc(dir: string, name: string, issues: ConfigIssues): IniDocument {
  const path = join(dir, name);
  // A missing file means Netdata's defaults, exactly like a file with nothing set.
  if (!existsSync(path)) return { file: path, sections: new Map() };
  return parseIni(readFileSync(path, 'utf8'), path, issues);
}

/**
 * Reads netdata.conf, stream.conf, exporting.conf and health.d/*.conf from `dir`, once, at boot. Throws one
 * ConfigError listing every error (each `FILE:LINE: ...`); warnings are returned for the caller to log.
 */
export function loadTributaryConfig(dir: string): TributaryConfig {
  const issues = new ConfigIssues();
  const netdata = readNetdataConf(readDoc(dir, 'netdata.conf', issues), dir, issues);
  const stream = readStreamConf(readDoc(dir, 'stream.conf', issues), issues);
  const exporting = readExportingConf(readDoc(dir, 'exporting.conf', issues), netdata.global.hostname, issues);

  const health: HealthDefinition[] = [];
  const healthDir = join(dir, 'health.d');
  if (existsSync(healthDir)) {
    for (const name of readdirSync(healthDir).filter((n) => n.endsWith('.conf')).sort()) {
      const path = join(healthDir, name);
      const r = parseHealthText(readFileSync(path, 'utf8'), path);
      health.push(...r.definitions);
      issues.errors.push(...r.errors);
      issues.warnings.push(...r.warnings);
    }
  }

  if (issues.errors.length > 0) throw ConfigError.aggregate(issues.errors);
  return { dir, netdata, stream, exporting, health, warnings: issues.warnings };
}
