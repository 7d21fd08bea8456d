import { SimplePattern } from '@tributary/simple-patterns';
import type { ScrapeRequest, ScrapeResponse } from '@tributary/protocol';
import type { DataSource, PrometheusExporterSettings } from '../config/exporting.settings';
import { parseDataSource } from '../config/exporting-conf.parser';
import type { ChartSeries } from '../model/chart.series';
import type { HostEntry, HostRegistry } from '../model/host.registry';
import { hostLabels } from '../model/batch.walker';
import { alignWindow } from '../model/export.window';
import { prometheusMetricName } from '../format/remote-write.formatter';
import {
  prometheusLabelValue,
  prometheusName,
  prometheusNamePart,
  prometheusOldUnits,
  prometheusUnitsSuffix,
} from '../format/name.sanitizers';
import { formatCompact, formatFixed7 } from '../format/number.format';

const CONTENT_TYPE = 'text/plain; version=0.0.4';
const INCREMENTAL = new Set(['incremental', 'percentage-of-incremental-row']);
/** Forget servers that stopped scraping, as Netdata's prometheus_clean_server_root would. */
const SERVER_TTL_S = 3600;

function flag(v: string | undefined, def: boolean): boolean {
  if (v === undefined) return def;
  return v === 'yes' || v === '1' || v === 'true';
}

/**
 * /api/v1/allmetrics?format=prometheus|prometheus_all_hosts bodies. Average and sum cover the time since the same
 * `server=` last scraped the same host (Netdata's per-server window), aligned as the exporting engine aligns.
 */
export class PrometheusScrapeService {
  private readonly lastAccess = new Map<string, number>();
  private readonly win = new Int32Array(2);
  private readonly acc = new Float64Array(2);
  /** Compiled once per filter text: charts cache their match per pattern object. */
  private readonly filters = new Map<string, SimplePattern>();

  constructor(
    private readonly registry: HostRegistry,
    private readonly settings: PrometheusExporterSettings,
  ) {}

  scrape(req: ScrapeRequest, nowMs = Date.now()): ScrapeResponse {
    const nowS = Math.floor(nowMs / 1000);
    const o = req.options ?? {};
    let source: DataSource = this.settings.dataSource;
    if (req.source) {
      const s = parseDataSource(req.source);
      if (s) source = s;
    }
    const names = flag(o['names'], this.settings.sendNames);
    const timestamps = flag(o['timestamps'], true);
    const variables = flag(o['variables'], false);
    const oldunits = flag(o['oldunits'], false);
    const hideunits = flag(o['hideunits'], false);
    const prefix = req.prefix || this.settings.prefix;
    const filterText = req.filter || this.settings.sendChartsMatching;
    let filter = this.filters.get(filterText);
    if (!filter) {
      if (this.filters.size > 100) this.filters.clear();
      filter = SimplePattern.compile(filterText);
      this.filters.set(filterText, filter);
    }
    const server = req.server || 'unknown';

    let hosts: HostEntry[];
    let allHosts = req.allHosts;
    if (req.host) {
      const h = this.findHost(req.host);
      if (!h) return { status: 404, contentType: 'text/plain', body: `host '${req.host}' not found\n` };
      hosts = [h];
    } else {
      hosts = [...this.registry.hosts.values()];
      // The parent has no charts of its own: its view is its only child, or every child labelled by instance.
      if (hosts.length > 1) allHosts = true;
    }

    this.expire(nowS);
    let body = '';
    const printedHelp = new Set<string>();
    for (const h of hosts) {
      const key = server + '\u0000' + h.machineGuid;
      const after = this.lastAccess.get(key) ?? nowS - this.settings.updateEvery;
      this.lastAccess.set(key, nowS);
      body += this.host(h, {
        source, names, timestamps, variables, oldunits, hideunits, prefix, filter, allHosts, after, before: nowS, nowMs, printedHelp,
      });
    }
    return { status: 200, contentType: CONTENT_TYPE, body };
  }

  /** Machine GUID first, then hostname: a hostname equal to another host's GUID must not take its place. */
  private findHost(name: string): HostEntry | undefined {
    const byGuid = this.registry.hosts.get(name) ?? this.registry.hosts.get(name.toLowerCase());
    if (byGuid) return byGuid;
    for (const h of this.registry.hosts.values()) if (h.info.hostname === name) return h;
    return undefined;
  }

  private expire(nowS: number): void {
    for (const [k, t] of this.lastAccess) if (nowS - t > SERVER_TTL_S) this.lastAccess.delete(k);
  }

  private host(
    h: HostEntry,
    p: {
      source: DataSource;
      names: boolean;
      timestamps: boolean;
      variables: boolean;
      oldunits: boolean;
      hideunits: boolean;
      prefix: string;
      filter: SimplePattern;
      allHosts: boolean;
      after: number;
      before: number;
      nowMs: number;
      printedHelp: Set<string>;
    },
  ): string {
    const hostname = prometheusLabelValue(h.info.hostname || h.machineGuid);
    const lp = this.settings.labelPrefix;
    let out = `netdata_info{instance="${hostname}",application="${h.info.programName || 'netdata'}",version="${h.info.programVersion}"`;
    for (const [k, v] of hostLabels(h, this.settings.sendConfiguredLabels, this.settings.sendAutomaticLabels)) {
      const name = prometheusName(k);
      if (name && v) out += `,${name}="${prometheusLabelValue(v)}"`;
    }
    const ts = p.timestamps ? ' ' + p.nowMs : '';
    out += '} 1' + ts + '\n';
    const instanceLabel = p.allHosts ? `,${lp}instance="${hostname}"` : '';
    if (p.variables) {
      for (const [name, value] of h.variables) {
        const il = p.allHosts ? `{${lp}instance="${hostname}"}` : '';
        out += `${p.prefix}_${prometheusNamePart(name)}${il} ${formatFixed7(value)}${ts}\n`;
      }
    }

    // Contexts in dictionary order, then each chart of the context.
    const charts = [...h.charts.values()].filter(
      (c) => !c.obsolete && c.matchesCharts(p.filter, () => p.filter.matches(p.names ? c.name : c.id)),
    );
    charts.sort((a, b) => (a.def.context < b.def.context ? -1 : a.def.context > b.def.context ? 1 : 0));
    const asCollected = p.source === 'as-collected';
    for (const c of charts) {
      let units = '';
      if (p.source === 'average' && !p.hideunits) units = prometheusUnitsSuffix(p.oldunits ? prometheusOldUnits(c.def.units) : c.def.units);
      const chartL = prometheusLabelValue(p.names ? c.name : c.id);
      const familyL = prometheusLabelValue(c.def.family);
      let chartLabels = '';
      for (const [k, v] of Object.entries(c.def.labels)) if (!k.startsWith('_')) chartLabels += `,${k}="${prometheusLabelValue(v)}"`;
      if (!asCollected) alignWindow(c, p.after, p.before, this.win);
      for (let d = 0; d < c.dimensions; d++) {
        const last = asCollected ? c.collectedTime[d] : c.lastTime[d];
        if (last === 0 || c.dimObsolete[d]) continue;
        const dimL = prometheusLabelValue(p.names ? c.dimNames[d] : c.dimIds[d]);
        const metric = prometheusMetricName(c, d, p.prefix, p.source, p.names, units);
        let value: string;
        let t: number;
        if (asCollected) {
          if (last < p.after) continue;
          // Netdata's scrape: the raw integer, but a prometheus-collector chart's value is scaled back to what the
          // collector read (collected x multiplier / divisor).
          const raw = c.collectedValue[d];
          value = formatCompact(c.def.plugin === 'prometheus' ? (raw * c.dimMultipliers[d]) / c.dimDivisors[d] : raw);
          t = last;
        } else {
          const v = this.value(c, d, p.source === 'sum');
          if (v === undefined) continue;
          value = formatFixed7(v);
          t = this.win[1];
        }
        if (!p.printedHelp.has(metric)) {
          p.printedHelp.add(metric);
          const counter = asCollected && INCREMENTAL.has(c.dimAlgorithms[d]) && c.def.plugin !== 'prometheus';
          out += `# HELP ${metric} ${c.def.title}\n# TYPE ${metric} ${counter ? 'counter' : 'gauge'}\n`;
        }
        const dimPart = asCollected && !c.homogeneous ? '' : `,${lp}dimension="${dimL}"`;
        out += `${metric}{${lp}chart="${chartL}"${dimPart},${lp}family="${familyL}"${chartLabels}${instanceLabel}} ${value}`;
        out += p.timestamps ? ` ${t * 1000}\n` : '\n';
      }
    }
    return out;
  }

  private value(c: ChartSeries, d: number, sum: boolean): number | undefined {
    const first = c.firstTime[d];
    const last = c.lastTime[d];
    const a = this.win[0] < first ? first : this.win[0];
    const b = this.win[1] > last ? last : this.win[1];
    if (a > b) return undefined;
    c.window(d, a, b, this.acc);
    if (this.acc[1] === 0) return undefined;
    const v = sum ? this.acc[0] : this.acc[0] / this.acc[1];
    return Number.isFinite(v) ? v : undefined;
  }
}
