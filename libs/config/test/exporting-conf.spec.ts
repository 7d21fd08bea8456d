import { ExportingInstance, ExportingOptions } from '../src/index';
import { load, loadErrors, removeConfigDirs, warningsOf } from './config-dir';

afterAll(removeConfigDirs);

function plain(o: ExportingOptions): Record<string, unknown> {
  return {
    ...o,
    sendChartsMatching: o.sendChartsMatching.text,
    sendHostsMatching: o.sendHostsMatching.text,
  };
}

const DEFAULTS = {
  enabled: false,
  destinationText: 'localhost',
  username: '',
  password: '',
  dataSource: 'average',
  prefix: 'netdata',
  updateEvery: 10,
  bufferOnFailures: 10,
  timeoutMs: 10000,
  sendNamesInsteadOfIds: true,
  sendChartsMatching: '*',
  sendHostsMatching: 'localhost *',
  sendConfiguredLabels: true,
  sendAutomaticLabels: false,
  sendVariables: true,
  remoteWriteUrlPath: '/receive',
};

describe('exporting.conf defaults', () => {
  it('[exporting:global] has every Netdata default, hostname from netdata.conf', () => {
    const c = load({ 'netdata.conf': '[global]\nhostname = parent\n' });
    expect(plain(c.exporting.global)).toEqual({ ...DEFAULTS, hostname: 'parent' });
    expect(c.exporting.instances).toEqual([]);
  });

  it('[prometheus:exporter] has its defaults', () => {
    const p = load({}).exporting.prometheusExporter;
    expect({ ...p, sendChartsMatching: p.sendChartsMatching.text, sendHostsMatching: p.sendHostsMatching.text }).toEqual({
      dataSource: 'average', sendNamesInsteadOfIds: true, sendConfiguredLabels: true, sendAutomaticLabels: false,
      sendChartsMatching: '*', sendHostsMatching: 'localhost *', prefix: 'netdata', netdataLabelPrefix: '', updateEvery: 10,
    });
  });

  it('an instance section with nothing set gets the defaults and its type', () => {
    const c = load({ 'netdata.conf': '[global]\nhostname = parent\n', 'exporting.conf': '[graphite:g1]\n' });
    const [g] = c.exporting.instances;
    expect(g).toMatchObject({ name: 'g1', section: 'graphite:g1', kind: 'graphite', transport: 'tcp', tls: false, line: 1 });
    expect(g.destination).toEqual([{ protocol: 'tcp', host: 'localhost', port: 2003 }]);
    expect(plain(g)).toMatchObject({ ...DEFAULTS, hostname: 'parent' });
  });
});

describe('exporting.conf connector types', () => {
  it.each<[string, Partial<ExportingInstance>, number | undefined]>([
    ['graphite', { kind: 'graphite', transport: 'tcp', tls: false }, 2003],
    ['graphite:plaintext', { kind: 'graphite', transport: 'tcp', tls: false }, 2003],
    ['graphite:http', { kind: 'graphite', transport: 'http', tls: false }, 2003],
    ['graphite:https', { kind: 'graphite', transport: 'http', tls: true }, 2003],
    ['opentsdb', { kind: 'opentsdb', transport: 'tcp', tls: false }, 4242],
    ['opentsdb:telnet', { kind: 'opentsdb', transport: 'tcp', tls: false }, 4242],
    ['opentsdb:http', { kind: 'opentsdb', transport: 'http', tls: false }, 4242],
    ['opentsdb:https', { kind: 'opentsdb', transport: 'http', tls: true }, 4242],
    ['json', { kind: 'json', transport: 'tcp', tls: false }, 5448],
    ['json:plaintext', { kind: 'json', transport: 'tcp', tls: false }, 5448],
    ['json:http', { kind: 'json', transport: 'http', tls: false }, 5448],
    ['json:https', { kind: 'json', transport: 'http', tls: true }, 5448],
    ['prometheus_remote_write', { kind: 'prometheus_remote_write', transport: 'http', tls: false }, undefined],
    ['prometheus_remote_write:http', { kind: 'prometheus_remote_write', transport: 'http', tls: false }, undefined],
    ['prometheus_remote_write:https', { kind: 'prometheus_remote_write', transport: 'http', tls: true }, undefined],
  ])('[%s:x]', (type, expected, defaultPort) => {
    const c = load({ 'exporting.conf': `[${type}:x]\nenabled = yes\ndestination = h:1 h2${defaultPort ? '' : ':2'}\n` });
    const [i] = c.exporting.instances;
    expect(i).toMatchObject({ ...expected, name: 'x', enabled: true });
    expect(i.destination.map((d) => d.port)).toEqual([1, defaultPort ?? 2]);
  });

  it('names unnamed instances instance_N and keeps file order', () => {
    const c = load({ 'exporting.conf': '[graphite:]\n[json:j]\n[opentsdb:]\n' });
    expect(c.exporting.instances.map((i) => i.name)).toEqual(['instance_0', 'j', 'instance_1']);
  });
});

describe('exporting.conf set values and [exporting:global] fallback', () => {
  const c = load({
    'exporting.conf': [
      '[exporting:global]',
      'enabled = yes',
      'update every = 5',
      'prefix = tributary',
      'hostname = globalname',
      'send configured labels = no',
      '[prometheus:exporter]',
      'data source = sum',
      'send names instead of ids = no',
      'send automatic labels = yes',
      'send charts matching = system.*',
      'send hosts matching = *',
      'netdata label prefix = nd_',
      '[prometheus_remote_write:vm]',
      'destination = 127.0.0.1:8428',
      'remote write URL path = /api/v1/write',
      'username = u',
      'password = p',
      'data source = as collected',
      'buffer on failures = 0',
      'timeout ms = 2000',
      'send names instead of ids = no',
      'send charts matching = !apps.* *',
      'send hosts matching = child*',
      'send automatic labels = yes',
      'send variables = no',
      '[graphite:g]',
      'enabled = no',
      'hostname = own',
      'data source = volume',
    ].join('\n'),
  });
  const [vm, g] = c.exporting.instances;

  it('reads every instance option', () => {
    expect(plain(vm)).toMatchObject({
      enabled: true, destinationText: '127.0.0.1:8428', remoteWriteUrlPath: '/api/v1/write', username: 'u', password: 'p',
      dataSource: 'as-collected', bufferOnFailures: 1, timeoutMs: 2000, sendNamesInsteadOfIds: false,
      sendChartsMatching: '!apps.* *', sendHostsMatching: 'child*', sendAutomaticLabels: true, sendVariables: false,
    });
    expect(vm.destination).toEqual([{ protocol: 'tcp', host: '127.0.0.1', port: 8428 }]);
  });

  it('falls back to [exporting:global] for what the instance does not set', () => {
    expect(plain(vm)).toMatchObject({ updateEvery: 5, prefix: 'tributary', hostname: 'globalname', sendConfiguredLabels: false });
    expect(plain(g)).toMatchObject({ enabled: false, hostname: 'own', dataSource: 'sum', updateEvery: 5 });
  });

  it('[prometheus:exporter] reads its options and falls back to the global section', () => {
    const p = c.exporting.prometheusExporter;
    expect(p).toMatchObject({ dataSource: 'sum', sendNamesInsteadOfIds: false, sendAutomaticLabels: true, sendConfiguredLabels: false, prefix: 'tributary', netdataLabelPrefix: 'nd_', updateEvery: 5 });
    expect([p.sendChartsMatching.text, p.sendHostsMatching.text]).toEqual(['system.*', '*']);
  });

  it.each([
    ['as collected', 'as-collected'], ['as-collected', 'as-collected'], ['as_collected', 'as-collected'],
    ['ascollected', 'as-collected'], ['raw', 'as-collected'], ['average', 'average'], ['sum', 'sum'], ['volume', 'sum'],
  ])('data source %j -> %s', (text, expected) => {
    expect(load({ 'exporting.conf': `[json:j]\ndata source = ${text}\n` }).exporting.instances[0].dataSource).toBe(expected);
  });

  it('has no warnings', () => {
    expect(warningsOf(c)).toEqual([]);
  });
});

describe('exporting.conf errors and warnings', () => {
  it.each([
    ['[graphite:g]\ndata source = median\n', "DIR/exporting.conf:2: option 'data source' = 'median' is not one of as collected, as-collected, as_collected, ascollected, raw, average, sum, volume"],
    ['[graphite:g]\nenabled = si\n', "DIR/exporting.conf:2: option 'enabled' = 'si' is not one of yes, true, on, auto, on demand, no, false, off"],
    ['[graphite:g]\nupdate every = 0\n', "DIR/exporting.conf:2: option 'update every' = '0' is not a number >= 1"],
    ['[graphite:g]\nbuffer on failures = many\n', "DIR/exporting.conf:2: option 'buffer on failures' = 'many' is not a number"],
    ['[graphite:g]\ntimeout ms = 1s\n', "DIR/exporting.conf:2: option 'timeout ms' = '1s' is not a number"],
    ['[graphite:g]\nsend names instead of ids = 1\n', "DIR/exporting.conf:2: option 'send names instead of ids' = '1' is not one of yes, true, on, auto, on demand, no, false, off"],
    ['[graphite:g]\nsend configured labels = 1\n', "DIR/exporting.conf:2: option 'send configured labels' = '1' is not one of yes, true, on, auto, on demand, no, false, off"],
    ['[graphite:g]\nsend automatic labels = 1\n', "DIR/exporting.conf:2: option 'send automatic labels' = '1' is not one of yes, true, on, auto, on demand, no, false, off"],
    ['[prometheus_remote_write:p]\nsend variables = 1\ndestination = h:1\n', "DIR/exporting.conf:2: option 'send variables' = '1' is not one of yes, true, on, auto, on demand, no, false, off"],
    ['[graphite:g]\nenabled = yes\ndestination = h:x\n', "DIR/exporting.conf:3: option 'destination' = 'h:x' has an invalid port 'x' in 'h:x'"],
    ['[prometheus_remote_write:p]\nenabled = yes\n', "DIR/exporting.conf:1: option 'destination' = 'localhost' has no port in 'localhost' (this connector has no default port)"],
    ['[influx:i]\n', "DIR/exporting.conf:1: section [influx:i] has an unknown connector type 'influx' (not one of graphite, graphite:plaintext, graphite:http, graphite:https, json, json:plaintext, json:http, json:https, opentsdb, opentsdb:telnet, opentsdb:http, opentsdb:https, prometheus_remote_write, prometheus_remote_write:http, prometheus_remote_write:https)"],
    ['[graphite]\n', "DIR/exporting.conf:1: section [graphite] has an unknown connector type 'graphite' (not one of graphite, graphite:plaintext, graphite:http, graphite:https, json, json:plaintext, json:http, json:https, opentsdb, opentsdb:telnet, opentsdb:http, opentsdb:https, prometheus_remote_write, prometheus_remote_write:http, prometheus_remote_write:https)"],
    ['[graphite:a]\n[json:a]\n', "DIR/exporting.conf:2: section [json:a]: connector instance name 'a' is used twice"],
    ['[exporting:global]\nupdate every = x\n', "DIR/exporting.conf:2: option 'update every' = 'x' is not a number"],
    ['[prometheus:exporter]\ndata source = x\n', "DIR/exporting.conf:2: option 'data source' = 'x' is not one of as collected, as-collected, as_collected, ascollected, raw, average, sum, volume"],
  ])('%j', (text, message) => {
    expect(loadErrors({ 'exporting.conf': text })).toEqual([message]);
  });

  it('warns about unknown options, unsupported connector types and bad addresses of disabled instances', () => {
    const c = load({ 'exporting.conf': '[exporting:global]\nenabeld = yes\n[kinesis:k]\nstream name = x\n[graphite:g]\nprefx = a\n[prometheus_remote_write:off]\nenabled = no\n' });
    expect(warningsOf(c)).toEqual([
      "DIR/exporting.conf:2: unknown option 'enabeld' in section [exporting:global], ignored",
      "DIR/exporting.conf:3: connector type 'kinesis' of [kinesis:k] is not supported by Tributary, ignored",
      "DIR/exporting.conf:6: unknown option 'prefx' in section [graphite:g], ignored",
      "DIR/exporting.conf:7: option 'destination' = 'localhost' has no port in 'localhost' (this connector has no default port) (instance disabled)",
    ]);
    expect(c.exporting.instances.map((i) => i.name)).toEqual(['g', 'off']);
  });
});
