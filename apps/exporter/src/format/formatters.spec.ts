import { execFileSync } from 'node:child_process';
import { SimplePattern } from '@tributary/simple-patterns';
import { chartDef, dimension, hostInfo, samples } from '../../test/support/fixtures';
import { decodeWriteRequest, snappyDecode } from '../../test/support/prw.decoder';
import { HostRegistry } from '../model/host.registry';
import { walkBatch, type WalkOptions } from '../model/batch.walker';
import type { DataSource } from '../config/exporting.settings';
import type { MetricFormatter } from './metric.formatter';
import { GraphiteFormatter } from './graphite.formatter';
import { OpentsdbTelnetFormatter } from './opentsdb-telnet.formatter';
import { OpentsdbHttpFormatter } from './opentsdb-http.formatter';
import { JsonFormatter } from './json.formatter';
import { RemoteWriteFormatter } from './remote-write.formatter';

// One child, system.cpu (user stored 8..20 over t=998..1010 from a raw counter 100000 + 37 t, system constant 0.5
// from a raw 0.5) and a chart with odd names.
function registry(labels: Record<string, string> = { env: 'prod', _os_name: 'Debian' }): HostRegistry {
  const r = new HostRegistry(64);
  r.applyHost(hostInfo('g1', 'child1', labels));
  r.applyChart({
    machineGuid: 'g1',
    chartIndex: 0,
    chart: chartDef({
      id: 'system.cpu',
      dimensions: [dimension('user', 'user', 'percentage-of-incremental-row'), dimension('system', 'system', 'percentage-of-incremental-row')],
    }),
  });
  const rows: [number, number, number, number, number][] = [];
  for (let t = 998; t <= 1010; t++) rows.push([0, 0, t, t - 990, 100000 + 37 * t], [0, 1, t, 0.5, 0.5]);
  r.applySamples(samples('g1', rows));
  return r;
}

function walk(r: HostRegistry, f: MetricFormatter, source: DataSource, o: Partial<WalkOptions> = {}): string {
  walkBatch(
    r,
    {
      dataSource: source,
      hosts: SimplePattern.compile('localhost *'),
      charts: SimplePattern.compile('*'),
      sendConfiguredLabels: true,
      sendAutomaticLabels: false,
      skipStaleCollected: false,
      ...o,
    },
    f,
    1000,
    1009,
    1700000000000,
  );
  return f.finish().toString('utf8');
}

const names = (asCollected: boolean, labelsEnabled = true) => ({ prefix: 'netdata', sendNames: true, asCollected, labelsEnabled });

describe('graphite plaintext', () => {
  it('average: window (998..1006] of a batch at 1009 started at 1000, %0.7f, ;k=v host labels, ts = window end', () => {
    expect(walk(registry(), new GraphiteFormatter(names(false)), 'average')).toBe(
      'netdata.child1.system.cpu.user;env=prod 12.0000000 1006\n' + 'netdata.child1.system.cpu.system;env=prod 0.5000000 1006\n',
    );
  });
  it('sum adds the window points', () => {
    expect(walk(registry(), new GraphiteFormatter(names(false)), 'sum')).toBe(
      'netdata.child1.system.cpu.user;env=prod 108.0000000 1006\n' + 'netdata.child1.system.cpu.system;env=prod 4.5000000 1006\n',
    );
  });
  it('as-collected: last raw collected value (integer as %lld, else %0.7f) at its collection time', () => {
    expect(walk(registry(), new GraphiteFormatter(names(true)), 'as-collected')).toBe(
      'netdata.child1.system.cpu.user;env=prod 137370 1010\n' + 'netdata.child1.system.cpu.system;env=prod 0.5000000 1010\n',
    );
  });
  it('as-collected: a point without a raw value (replicated history) does not replace the last collection', () => {
    const r = registry();
    r.applySamples(samples('g1', [[0, 0, 1011, 21], [0, 1, 1011, 0.5]]));
    expect(walk(r, new GraphiteFormatter(names(true)), 'as-collected')).toBe(
      'netdata.child1.system.cpu.user;env=prod 137370 1010\n' + 'netdata.child1.system.cpu.system;env=prod 0.5000000 1010\n',
    );
  });
  it('automatic labels only when asked; no label -> nothing appended', () => {
    const out = walk(registry(), new GraphiteFormatter(names(false)), 'average', { sendConfiguredLabels: false, sendAutomaticLabels: true });
    expect(out.split('\n')[0]).toBe('netdata.child1.system.cpu.user;_os_name=Debian 12.0000000 1006');
    const none = walk(registry({}), new GraphiteFormatter(names(false)), 'average');
    expect(none.split('\n')[0]).toBe('netdata.child1.system.cpu.user 12.0000000 1006');
  });
  it('sanitises names byte-wise, prefix/hostname keep dots and swap ; and whitespace', () => {
    const r = new HostRegistry(64);
    r.applyHost(hostInfo('g2', 'my host;x.lan', { 'a b': 'x y~z;w' }));
    r.applyChart({ machineGuid: 'g2', chartIndex: 3, chart: chartDef({ id: 'disk.sda', name: 'disk.sdä-1', dimensions: [dimension('r', 'réad s')] }) });
    r.applySamples(samples('g2', [[3, 0, 1005, 2.5]]));
    const f = new GraphiteFormatter({ prefix: 'nd p', sendNames: true, asCollected: false, labelsEnabled: true });
    expect(walk(r, f, 'average')).toBe('nd_p.my_host_x.lan.disk.sd___1.r__ad_s;a_b=x_y_z_w 2.5000000 1006\n');
    const ids = new GraphiteFormatter({ prefix: 'netdata', sendNames: false, asCollected: false, labelsEnabled: false });
    expect(walk(r, ids, 'average', { sendConfiguredLabels: false })).toBe('netdata.my_host_x.lan.disk.sda.r 2.5000000 1006\n');
  });
  it('skips hosts failing `send hosts matching` and charts failing `send charts matching`', () => {
    expect(walk(registry(), new GraphiteFormatter(names(false)), 'average', { hosts: SimplePattern.compile('!child1 *') })).toBe('');
    expect(walk(registry(), new GraphiteFormatter(names(false)), 'average', { charts: SimplePattern.compile('!system.* *') })).toBe('');
  });
});

describe('opentsdb telnet', () => {
  it('put metric timestamp value host=... labels', () => {
    expect(walk(registry(), new OpentsdbTelnetFormatter(names(false)), 'average')).toBe(
      'put netdata.system.cpu.user 1006 12.0000000 host=child1 env=prod\n' + 'put netdata.system.cpu.system 1006 0.5000000 host=child1 env=prod\n',
    );
  });
  it('labels on but none passing: trailing space after host=; labels off: none', () => {
    expect(walk(registry({}), new OpentsdbTelnetFormatter(names(false)), 'average').split('\n')[0]).toBe(
      'put netdata.system.cpu.user 1006 12.0000000 host=child1 ',
    );
    expect(walk(registry(), new OpentsdbTelnetFormatter(names(false, false)), 'average', { sendConfiguredLabels: false }).split('\n')[0]).toBe(
      'put netdata.system.cpu.user 1006 12.0000000 host=child1',
    );
  });
  it('as-collected value and time', () => {
    expect(walk(registry(), new OpentsdbTelnetFormatter(names(true)), 'as-collected').split('\n')[0]).toBe(
      'put netdata.system.cpu.user 1010 137370 host=child1 env=prod',
    );
  });
});

describe('opentsdb http', () => {
  it('JSON array body, records joined by ,\\n, labels after host in tags', () => {
    expect(walk(registry(), new OpentsdbHttpFormatter(names(false)), 'average')).toBe(
      '[\n' +
        '{"metric":"netdata.system.cpu.user","timestamp":1006,"value":12.0000000,"tags":{"host":"child1","env":"prod"}},\n' +
        '{"metric":"netdata.system.cpu.system","timestamp":1006,"value":0.5000000,"tags":{"host":"child1","env":"prod"}}\n' +
        ']\n',
    );
  });
});

describe('json connector', () => {
  const avg =
    '{"prefix":"netdata","hostname":"child1","labels":{"env":"prod"},"chart_id":"system.cpu","chart_name":"system.cpu",' +
    '"chart_family":"cpu","chart_context": "system.cpu","chart_type":"system","units": "percentage","id":"user","name":"user",' +
    '"value":12.0000000,"timestamp": 1006}';
  it('average: fixed key order and the space-after-colon quirk; plain TCP is one object per line', () => {
    expect(walk(registry(), new JsonFormatter(names(false), false), 'average').split('\n')[0]).toBe(avg);
  });
  it('as-collected has no quirk spaces', () => {
    expect(walk(registry(), new JsonFormatter(names(true), false), 'as-collected').split('\n')[0]).toBe(
      '{"prefix":"netdata","hostname":"child1","labels":{"env":"prod"},"chart_id":"system.cpu","chart_name":"system.cpu",' +
        '"chart_family":"cpu","chart_context":"system.cpu","chart_type":"system","units":"percentage","id":"user","name":"user",' +
        '"value":137370,"timestamp":1010}',
    );
  });
  it('http: array framing; labels member absent when both label options are off', () => {
    const body = walk(registry(), new JsonFormatter(names(false), true), 'average');
    expect(body.startsWith('[\n' + avg + ',\n{')).toBe(true);
    expect(body.endsWith('}\n]\n')).toBe(true);
    const noLabels = walk(registry(), new JsonFormatter(names(false, false), false), 'average', { sendConfiguredLabels: false });
    expect(noLabels.startsWith('{"prefix":"netdata","hostname":"child1","chart_id"')).toBe(true);
  });
});

describe('prometheus remote write', () => {
  function decode(source: DataSource, sendVariables = false): ReturnType<typeof decodeWriteRequest> {
    const r = registry();
    r.applyVariable({ machineGuid: 'g1', chartId: '', name: 'my.var', value: 42 });
    const f = new RemoteWriteFormatter({ prefix: 'netdata', sendNames: true, dataSource: source, sendVariables });
    walkBatch(
      r,
      {
        dataSource: source,
        hosts: SimplePattern.compile('*'),
        charts: SimplePattern.compile('*'),
        sendConfiguredLabels: true,
        sendAutomaticLabels: false,
        skipStaleCollected: true,
      },
      f,
      1000,
      1009,
      1700000000123,
    );
    const body = f.finish();
    expect(snappyDecode(body).equals(f.protobuf())).toBe(true);
    return decodeWriteRequest(f.protobuf());
  }

  it('netdata_info first (host labels after version), then series with labels __name__,chart,dimension,family,instance', () => {
    const s = decode('average');
    expect(s[0]).toEqual({
      labels: [['__name__', 'netdata_info'], ['application', 'netdata'], ['instance', 'child1'], ['version', 'v1.37.1'], ['env', 'prod']],
      value: 1,
      timestamp: 1700000000123,
    });
    expect(s[1]).toEqual({
      labels: [
        ['__name__', 'netdata_system_cpu_percentage_average'],
        ['chart', 'system.cpu'],
        ['dimension', 'user'],
        ['family', 'cpu'],
        ['instance', 'child1'],
      ],
      value: 12,
      timestamp: 1006000,
    });
    expect(s).toHaveLength(3);
  });
  it('sum names have no units; variables follow netdata_info when enabled', () => {
    const s = decode('sum', true);
    expect(s[1]).toEqual({ labels: [['__name__', 'netdata_my_var'], ['instance', 'child1']], value: 42, timestamp: 1700000000123 });
    expect(s[2].labels[0]).toEqual(['__name__', 'netdata_system_cpu_sum']);
    expect(s[2].value).toBe(108);
  });
  it('as-collected: _total for incremental algorithms, collection time in ms', () => {
    const s = decode('as-collected');
    expect(s[1].labels[0]).toEqual(['__name__', 'netdata_system_cpu_total']);
    expect(s[1].timestamp).toBe(1010000);
    expect(s[1].value).toBe(137370);
  });
  it('the body decodes with the TSDB kit (prw.py, checked against real Prometheus)', () => {
    const r = registry();
    const f = new RemoteWriteFormatter({ prefix: 'netdata', sendNames: true, dataSource: 'average', sendVariables: false });
    walkBatch(r, { dataSource: 'average', hosts: SimplePattern.compile('*'), charts: SimplePattern.compile('*'), sendConfiguredLabels: true, sendAutomaticLabels: false, skipStaleCollected: false }, f, 1000, 1009, 1700000000123);
    const out = execFileSync('python3', ['/work/shared/tools/tsdb/prw.py', 'decode', '-'], { input: f.finish() }).toString();
    const series = out.trim().split('\n').map((l) => JSON.parse(l) as { labels: [string, string][]; samples: [number, number][] });
    expect(series[1]).toEqual({
      labels: [['__name__', 'netdata_system_cpu_percentage_average'], ['chart', 'system.cpu'], ['dimension', 'user'], ['family', 'cpu'], ['instance', 'child1']],
      samples: [[12, 1006000]],
    });
    expect(series).toHaveLength(3);
  });
});
