import type { ScrapeRequest } from '@tributary/protocol';
import { chartDef, dimension, hostInfo, samples } from '../../test/support/fixtures';
import type { PrometheusExporterSettings } from '../config/exporting.settings';
import { HostRegistry } from '../model/host.registry';
import { PrometheusScrapeService } from './prometheus-scrape.service';

const settings: PrometheusExporterSettings = {
  dataSource: 'average',
  sendNames: true,
  sendConfiguredLabels: true,
  sendAutomaticLabels: false,
  sendChartsMatching: '*',
  prefix: 'netdata',
  labelPrefix: '',
  updateEvery: 10,
};

const NOW_MS = 1_000_000_500;
const NOW = 1_000_000;

// Host a: system.cpu (homogeneous incremental) and disk.ops_sda (heterogeneous), one point per second, value = t % 10.
function registry(): HostRegistry {
  const r = new HostRegistry(128);
  for (const [guid, name] of [['ga', 'hosta'], ['gb', 'hostb']]) {
    r.applyHost(hostInfo(guid, name, { env: 'lab', _os_name: 'Debian' }));
    r.applyChart({
      machineGuid: guid,
      chartIndex: 0,
      chart: chartDef({ id: 'system.cpu', labels: { cpu_group: 'all', _collect_job: 'x' }, dimensions: [dimension('user', 'user', 'incremental'), dimension('sys', 'system', 'incremental')] }),
    });
    r.applyChart({
      machineGuid: guid,
      chartIndex: 1,
      chart: chartDef({
        id: 'disk.ops_sda',
        name: 'disk.ops_sda_name',
        title: 'Disk ops',
        units: 'KiB/s',
        family: 'sda',
        context: 'disk.ops',
        dimensions: [dimension('reads', 'reads', 'incremental'), dimension('writes', 'writes', 'absolute', -1, 1)],
      }),
    });
    r.applyChart({ machineGuid: guid, chartIndex: 2, chart: chartDef({ id: 'old.chart', options: 'obsolete', dimensions: [dimension('x')] }) });
    const rows: [number, number, number, number, number][] = [];
    for (let t = NOW - 40; t <= NOW; t++) for (const [c, d] of [[0, 0], [0, 1], [1, 0], [1, 1], [2, 0]]) rows.push([c, d, t, (t % 10) + c, raw(t, c, d)]);
    r.applySamples(samples(guid, rows));
  }
  r.applyVariable({ machineGuid: 'ga', chartId: '', name: 'my_var', value: 1.5 });
  return r;
}

/** The raw collected value (a counter) behind each stored point: as-collected exports it, not the stored rate. */
function raw(t: number, c: number, d: number): number {
  return 7 * t + 100 * c + d;
}

function req(p: Partial<ScrapeRequest>): ScrapeRequest {
  return { host: 'hosta', allHosts: false, server: 's1', prefix: '', source: '', filter: '', options: {}, ...p };
}

// Window of the first scrape: after = now - 10, before = now -> points (now-12 .. now-3], ts now-3.
const avg = (from: number, to: number, c = 0) => {
  let s = 0;
  for (let t = from; t <= to; t++) s += (t % 10) + c;
  return (s / (to - from + 1)).toFixed(7);
};

describe('Prometheus scrape bodies', () => {
  it('average: netdata_info, HELP/TYPE once per metric, chart,dimension,family then chart labels, window-end ms', () => {
    const body = new PrometheusScrapeService(registry(), settings).scrape(req({}), NOW_MS).body;
    const ts = (NOW - 3) * 1000;
    expect(body).toBe(
      `netdata_info{instance="hosta",application="netdata",version="v1.37.1",env="lab"} 1 ${NOW_MS}\n` +
        '# HELP netdata_disk_ops_KiB_persec_average Disk ops\n' +
        '# TYPE netdata_disk_ops_KiB_persec_average gauge\n' +
        `netdata_disk_ops_KiB_persec_average{chart="disk.ops_sda_name",dimension="reads",family="sda"} ${avg(NOW - 12, NOW - 3, 1)} ${ts}\n` +
        `netdata_disk_ops_KiB_persec_average{chart="disk.ops_sda_name",dimension="writes",family="sda"} ${avg(NOW - 12, NOW - 3, 1)} ${ts}\n` +
        '# HELP netdata_system_cpu_percentage_average Total CPU utilization\n' +
        '# TYPE netdata_system_cpu_percentage_average gauge\n' +
        `netdata_system_cpu_percentage_average{chart="system.cpu",dimension="user",family="cpu",cpu_group="all"} ${avg(NOW - 12, NOW - 3)} ${ts}\n` +
        `netdata_system_cpu_percentage_average{chart="system.cpu",dimension="system",family="cpu",cpu_group="all"} ${avg(NOW - 12, NOW - 3)} ${ts}\n`,
    );
  });

  it('each server= has its own "since last scrape" window', () => {
    const s = new PrometheusScrapeService(registry(), settings);
    s.scrape(req({ server: 'a' }), NOW_MS - 5000);
    const again = s.scrape(req({ server: 'a', filter: 'system.cpu' }), NOW_MS).body;
    // after = now-5 -> points now-7 .. now-3
    expect(again).toContain(`dimension="user",family="cpu",cpu_group="all"} ${avg(NOW - 7, NOW - 3)} ${(NOW - 3) * 1000}\n`);
    const other = s.scrape(req({ server: 'b', filter: 'system.cpu' }), NOW_MS).body;
    expect(other).toContain(`dimension="user",family="cpu",cpu_group="all"} ${avg(NOW - 12, NOW - 3)} `);
  });

  it('as collected: _total and counter for incremental, heterogeneous charts get one metric per dimension', () => {
    const body = new PrometheusScrapeService(registry(), settings).scrape(req({ source: 'as-collected', options: { timestamps: 'no' } }), NOW_MS).body;
    expect(body.split('\n')).toEqual([
      'netdata_info{instance="hosta",application="netdata",version="v1.37.1",env="lab"} 1',
      '# HELP netdata_disk_ops_reads_total Disk ops',
      '# TYPE netdata_disk_ops_reads_total counter',
      `netdata_disk_ops_reads_total{chart="disk.ops_sda_name",family="sda"} ${raw(NOW, 1, 0)}`,
      '# HELP netdata_disk_ops_writes Disk ops',
      '# TYPE netdata_disk_ops_writes gauge',
      `netdata_disk_ops_writes{chart="disk.ops_sda_name",family="sda"} ${raw(NOW, 1, 1)}`,
      '# HELP netdata_system_cpu_total Total CPU utilization',
      '# TYPE netdata_system_cpu_total counter',
      `netdata_system_cpu_total{chart="system.cpu",dimension="user",family="cpu",cpu_group="all"} ${raw(NOW, 0, 0)}`,
      `netdata_system_cpu_total{chart="system.cpu",dimension="system",family="cpu",cpu_group="all"} ${raw(NOW, 0, 1)}`,
      '',
    ]);
  });

  it('as collected: a prometheus-collector chart is scaled back by multiplier / divisor, other charts stay raw', () => {
    const r = new HostRegistry(128);
    r.applyHost(hostInfo('gp', 'hostp'));
    r.applyChart({
      machineGuid: 'gp',
      chartIndex: 0,
      chart: chartDef({ id: 'prom.temp', context: 'prom.temp', plugin: 'prometheus', dimensions: [dimension('t', 't', 'absolute', 1, 1000)] }),
    });
    r.applyChart({ machineGuid: 'gp', chartIndex: 1, chart: chartDef({ id: 'sys.load', context: 'sys.load', dimensions: [dimension('l', 'l', 'absolute', 1, 1000)] }) });
    r.applySamples(samples('gp', [[0, 0, NOW, 21.5, 21500], [1, 0, NOW, 0.25, 250]]));
    const body = new PrometheusScrapeService(r, settings).scrape(req({ host: 'hostp', source: 'as-collected', options: { timestamps: 'no' } }), NOW_MS).body;
    expect(body).toContain('netdata_prom_temp{chart="prom.temp",dimension="t",family="cpu"} 21.5\n');
    expect(body).toContain('netdata_sys_load{chart="sys.load",dimension="l",family="cpu"} 250\n');
  });

  it('sum, ids instead of names, hideunits/oldunits, prefix, variables', () => {
    const s = new PrometheusScrapeService(registry(), settings);
    const sum = s.scrape(req({ server: 'x', source: 'sum', prefix: 'nd', filter: 'disk.*', options: { names: 'no', variables: 'yes' } }), NOW_MS).body;
    expect(sum).toContain(`nd_my_var 1.5000000 ${NOW_MS}\n`);
    expect(sum).toContain('# TYPE nd_disk_ops_sum gauge\n');
    expect(sum).toContain(`nd_disk_ops_sum{chart="disk.ops_sda",dimension="reads",family="sda"} `);
    expect(s.scrape(req({ server: 'y', options: { oldunits: 'yes' } }), NOW_MS).body).toContain('netdata_disk_ops_kilobytes_persec_average{');
    expect(s.scrape(req({ server: 'z', options: { hideunits: 'yes' } }), NOW_MS).body).toContain('netdata_disk_ops_average{');
  });

  it('prometheus_all_hosts: every host, instance label appended to every sample; unknown host is 404', () => {
    const s = new PrometheusScrapeService(registry(), { ...settings, labelPrefix: 'nd_' });
    const body = s.scrape(req({ host: '', allHosts: true, filter: 'system.cpu' }), NOW_MS).body;
    expect(body).toContain('netdata_info{instance="hostb",application="netdata",version="v1.37.1",env="lab"} 1');
    expect(body).toContain(`netdata_system_cpu_percentage_average{nd_chart="system.cpu",nd_dimension="user",nd_family="cpu",cpu_group="all",nd_instance="hosta"} `);
    expect(body).toContain(`,nd_instance="hostb"} `);
    expect(body.match(/# HELP/g)).toHaveLength(1);
    expect(s.scrape(req({ host: 'nope' }), NOW_MS).status).toBe(404);
  });
});
