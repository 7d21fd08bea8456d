import { hostname } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExportingSettings, parseExportingConf } from './exporting-conf.parser';

describe('exporting.conf', () => {
  it('defaults of a bare instance', () => {
    const s = parseExportingConf('[graphite:g]\n');
    expect(s.connectors).toHaveLength(1);
    expect(s.connectors[0]).toMatchObject({
      section: 'graphite:g',
      type: 'graphite',
      kind: 'graphite',
      instanceName: 'g',
      enabled: false,
      destinationText: 'localhost',
      destinations: [{ host: 'localhost', port: 2003, text: 'localhost:2003' }],
      dataSource: 'average',
      hostname: hostname(),
      prefix: 'netdata',
      updateEvery: 10,
      bufferOnFailures: 10,
      timeoutMs: 10000,
      sendNames: true,
      sendChartsMatching: '*',
      sendHostsMatching: 'localhost *',
      sendConfiguredLabels: true,
      sendAutomaticLabels: false,
      sendVariables: true,
      remoteWritePath: '/receive',
      username: '',
      password: '',
      tls: false,
      http: false,
    });
    expect(s.prometheus).toEqual({
      dataSource: 'average',
      sendNames: true,
      sendConfiguredLabels: true,
      sendAutomaticLabels: false,
      sendChartsMatching: '*',
      prefix: 'netdata',
      labelPrefix: '',
      updateEvery: 10,
    });
  });

  it('instance section over [exporting:global] over defaults; every option', () => {
    const s = parseExportingConf(
      [
        '[exporting:global]',
        '    enabled = yes',
        '    update every = 5',
        '    prefix = gp',
        '    hostname = parent',
        '[opentsdb:http:tsdb]',
        '    destination = tcp:10.0.0.1:4343 [::1]:4242 other/ignored',
        '    data source = sum',
        '    prefix = op',
        '    buffer on failures = 0',
        '    timeout ms = 2000',
        '    send names instead of ids = no',
        '    send charts matching = system.*',
        '    send hosts matching = !bad *',
        '    send configured labels = no',
        '    send automatic labels = yes',
        '    username = u',
        '    password = p',
        '[prometheus_remote_write:https:rw]',
        '    destination = 127.0.0.1:9090',
        '    remote write URL path = /api/v1/write',
        '    send variables = no',
        '    data source = as collected',
        '    enabled = no',
        '[json:]',
        '[prometheus:exporter]',
        '    data source = raw',
        '    netdata label prefix = nd_',
      ].join('\n'),
    );
    const [o, rw, j] = s.connectors;
    expect(o).toMatchObject({
      type: 'opentsdb:http',
      kind: 'opentsdb',
      http: true,
      enabled: true,
      dataSource: 'sum',
      prefix: 'op',
      hostname: 'parent',
      updateEvery: 5,
      bufferOnFailures: 1,
      timeoutMs: 2000,
      sendNames: false,
      sendChartsMatching: 'system.*',
      sendHostsMatching: '!bad *',
      sendConfiguredLabels: false,
      sendAutomaticLabels: true,
      username: 'u',
      password: 'p',
    });
    expect(o.destinations).toEqual([
      { host: '10.0.0.1', port: 4343, text: '10.0.0.1:4343' },
      { host: '::1', port: 4242, text: '[::1]:4242' },
      { host: 'other', port: 4242, text: 'other:4242' },
    ]);
    expect(rw).toMatchObject({ kind: 'remote_write', tls: true, enabled: false, remoteWritePath: '/api/v1/write', sendVariables: false, dataSource: 'as-collected', prefix: 'gp' });
    expect(j).toMatchObject({ type: 'json', instanceName: 'instance_0' });
    expect(s.prometheus.dataSource).toBe('as-collected');
    expect(s.prometheus.labelPrefix).toBe('nd_');
  });

  it('errors from @tributary/config keep FILE:LINE; all of them are reported at once', () => {
    const text = ['[graphite:a]', 'update every = often', 'data source = median', '[nope:b]', '[graphite:a]', 'enabled = maybe'].join('\n');
    let message = '';
    try {
      parseExportingConf(text, '/etc/x/exporting.conf');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^4 configuration errors:/);
    expect(message).toContain("/etc/x/exporting.conf:6: option 'enabled' = 'maybe' is not one of yes");
    expect(message).toContain("/etc/x/exporting.conf:3: option 'data source' = 'median' is not one of as collected");
    expect(message).toContain("/etc/x/exporting.conf:2: option 'update every' = 'often' is not a number");
    expect(message).toContain("/etc/x/exporting.conf:4: section [nope:b] has an unknown connector type 'nope'");
  });

  it('remote write needs explicit ports; unsupported connectors are warnings', () => {
    expect(() => parseExportingConf('[prometheus_remote_write:r]\nenabled = yes\ndestination = localhost\n')).toThrow(
      /exporting.conf:3: option 'destination' = 'localhost' has no port/,
    );
    const s = parseExportingConf('[graphite:g]\n[kinesis:k]\n');
    expect(s.connectors.map((c) => c.section)).toEqual(['graphite:g']);
    expect(s.warnings.join('\n')).toMatch(/kinesis/);
  });

  it('boot loader: exporting.conf of the config dir, hostname default from netdata.conf, missing file = nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exporter-conf-'));
    try {
      expect(loadExportingSettings(dir).connectors).toEqual([]);
      writeFileSync(join(dir, 'netdata.conf'), '[global]\n    hostname = the-parent\n');
      writeFileSync(join(dir, 'exporting.conf'), '[json:j]\n    enabled = yes\n');
      expect(loadExportingSettings(dir).connectors[0]).toMatchObject({ hostname: 'the-parent', enabled: true, kind: 'json', http: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
