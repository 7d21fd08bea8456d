import { StreamGuidSection, TributaryConfig } from '../src/index';
import { load, loadErrors, removeConfigDirs, warningsOf } from './config-dir';

afterAll(removeConfigDirs);

const KEY = '11111111-2222-3333-4444-555555555555';
type Getter = (c: TributaryConfig) => unknown;

describe('stream.conf [stream] defaults', () => {
  const c = load({});
  it.each<[string, Getter, unknown]>([
    ['enabled', (x) => x.stream.stream.enabled, false],
    ['destination', (x) => x.stream.stream.destination, []],
    ['api key', (x) => x.stream.stream.apiKey, ''],
    ['timeout seconds (code default, the stock file says 60)', (x) => x.stream.stream.timeoutSeconds, 600],
    ['reconnect delay seconds', (x) => x.stream.stream.reconnectDelaySeconds, 5],
    ['buffer size bytes', (x) => x.stream.stream.bufferSizeBytes, 10485760],
    ['enable compression', (x) => x.stream.stream.enableCompression, true],
    ['ssl skip certificate verification', (x) => x.stream.stream.sslSkipCertificateVerification, false],
    ['CApath', (x) => x.stream.stream.caPath, ''],
    ['CAfile', (x) => x.stream.stream.caFile, ''],
    ['default port', (x) => x.stream.stream.defaultPort, 19999],
    ['send charts matching', (x) => x.stream.stream.sendChartsMatching.text, '*'],
    ['initial clock resync iterations', (x) => x.stream.stream.initialClockResyncIterations, 60],
    ['no GUID sections', (x) => x.stream.sections.size, 0],
  ])('%s', (_n, get, expected) => {
    expect(get(c)).toEqual(expected);
  });
});

describe('stream.conf [stream] set values', () => {
  const c = load({
    'stream.conf': [
      '[stream]',
      'enabled = yes',
      'destination = 10.0.0.1:SSL parent:20000',
      `api key = ${KEY}`,
      'timeout seconds = 60',
      'reconnect delay seconds = 10',
      'buffer size bytes = 1048576',
      'enable compression = no',
      'ssl skip certificate verification = yes',
      'CApath = /etc/ssl/certs/',
      'CAfile = /etc/ssl/certs/parent.pem',
      'default port = 19998',
      'send charts matching = !apps.* *',
      'initial clock resync iterations = 0',
    ].join('\n'),
  });
  const s = c.stream.stream;
  it('reads every option', () => {
    expect(s.enabled).toBe(true);
    expect(s.destination.map((d) => [d.host, d.port, d.ssl])).toEqual([['10.0.0.1', 19998, true], ['parent', 20000, false]]);
    expect(s.apiKey).toBe(KEY);
    expect([s.timeoutSeconds, s.reconnectDelaySeconds, s.bufferSizeBytes]).toEqual([60, 10, 1048576]);
    expect([s.enableCompression, s.sslSkipCertificateVerification]).toEqual([false, true]);
    expect([s.caPath, s.caFile, s.defaultPort, s.initialClockResyncIterations]).toEqual(['/etc/ssl/certs/', '/etc/ssl/certs/parent.pem', 19998, 0]);
    expect([s.sendChartsMatching.pattern.matches('apps.cpu'), s.sendChartsMatching.pattern.matches('system.cpu')]).toEqual([false, true]);
    expect(warningsOf(c)).toEqual([]);
  });
});

describe('stream.conf GUID sections', () => {
  const MACHINE = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
  const c = load({
    'stream.conf': [
      `[${KEY}]`,
      'type = api',
      'enabled = yes',
      'allow from = !10.1.2.3 10.*',
      'default history = 7200',
      'default memory mode = ram',
      'health enabled by default = on demand',
      'default postpone alarms on connect seconds = 30',
      'default proxy enabled = yes',
      'default proxy destination = upstream:19999',
      'default proxy api key = 99999999-2222-3333-4444-555555555555',
      'default proxy send charts matching = system.*',
      'enable compression = no',
      'enable replication = no',
      'seconds to replicate = 600',
      'seconds per replication step = 60',
      `[${MACHINE}]`,
      'type = machine',
      'enabled = no',
      'allow from = localhost',
      'update every = 5',
      'history = 100',
      'memory mode = none',
      'health enabled = no',
      'postpone alarms on connect seconds = 0',
      'proxy enabled = no',
      'proxy destination = other:1',
      'proxy api key = 88888888-2222-3333-4444-555555555555',
      'proxy send charts matching = net.*',
      'enable compression = yes',
    ].join('\n'),
  });
  const k = c.stream.sections.get(KEY) as StreamGuidSection;
  const m = c.stream.sections.get(MACHINE) as StreamGuidSection;

  it('reads every key-section option', () => {
    expect(k).toMatchObject({
      type: 'api', enabled: true, defaultHistory: 7200, defaultMemoryMode: 'ram', healthEnabledByDefault: 'auto',
      defaultPostponeAlarmsOnConnectSeconds: 30, defaultProxyEnabled: true,
      defaultProxyApiKey: '99999999-2222-3333-4444-555555555555', enableCompression: false, enableReplication: false,
      secondsToReplicate: 600, secondsPerReplicationStep: 60, line: 1,
    });
    expect(k.allowFrom?.text).toBe('!10.1.2.3 10.*');
    expect(k.defaultProxyDestination?.map((d) => `${d.host}:${d.port}`)).toEqual(['upstream:19999']);
    expect(k.defaultProxySendChartsMatching?.text).toBe('system.*');
  });

  it('reads every machine-section option', () => {
    expect(m).toMatchObject({
      type: 'machine', enabled: false, updateEvery: 5, history: 100, memoryMode: 'none', healthEnabled: 'no',
      postponeAlarmsOnConnectSeconds: 0, proxyEnabled: false, proxyApiKey: '88888888-2222-3333-4444-555555555555',
      enableCompression: true, line: 17,
    });
    expect(m.allowFrom?.text).toBe('localhost');
    expect(m.proxyDestination?.map((d) => `${d.host}:${d.port}`)).toEqual(['other:1']);
    expect(m.proxySendChartsMatching?.text).toBe('net.*');
  });

  it('leaves unset options undefined so the resolver can apply precedence', () => {
    expect(m.defaultHistory).toBeUndefined();
    expect(k.history).toBeUndefined();
  });

  it('has no warnings', () => {
    expect(warningsOf(c)).toEqual([]);
  });
});

describe('stream.conf errors and warnings', () => {
  const sec = `[${KEY}]\n`;
  it.each([
    [`${sec}type = key\n`, "DIR/stream.conf:2: option 'type' = 'key' is not one of api, machine"],
    [`${sec}enabled = sure\n`, "DIR/stream.conf:2: option 'enabled' = 'sure' is not one of yes, true, on, auto, on demand, no, false, off"],
    [`${sec}default memory mode = disk\n`, "DIR/stream.conf:2: option 'default memory mode' = 'disk' is not one of dbengine, ram, save, map, alloc, none"],
    [`${sec}memory mode = disk\n`, "DIR/stream.conf:2: option 'memory mode' = 'disk' is not one of dbengine, ram, save, map, alloc, none"],
    [`${sec}health enabled by default = sometimes\n`, "DIR/stream.conf:2: option 'health enabled by default' = 'sometimes' is not one of yes, no, auto, on demand, true, false, on, off"],
    [`${sec}health enabled = 2\n`, "DIR/stream.conf:2: option 'health enabled' = '2' is not one of yes, no, auto, on demand, true, false, on, off"],
    [`${sec}default history = 1h\n`, "DIR/stream.conf:2: option 'default history' = '1h' is not a number"],
    [`${sec}history = 1\n`, "DIR/stream.conf:2: option 'history' = '1' is not a number >= 5"],
    [`${sec}update every = 0\n`, "DIR/stream.conf:2: option 'update every' = '0' is not a number between 1 and 86400"],
    [`${sec}default postpone alarms on connect seconds = -5\n`, "DIR/stream.conf:2: option 'default postpone alarms on connect seconds' = '-5' is not a number >= 0"],
    [`${sec}postpone alarms on connect seconds = x\n`, "DIR/stream.conf:2: option 'postpone alarms on connect seconds' = 'x' is not a number"],
    [`${sec}enable compression = 1\n`, "DIR/stream.conf:2: option 'enable compression' = '1' is not one of yes, true, on, auto, on demand, no, false, off"],
    [`${sec}enable replication = 0\n`, "DIR/stream.conf:2: option 'enable replication' = '0' is not one of yes, true, on, auto, on demand, no, false, off"],
    [`${sec}seconds to replicate = 1d\n`, "DIR/stream.conf:2: option 'seconds to replicate' = '1d' is not a number"],
    [`${sec}seconds per replication step = 0\n`, "DIR/stream.conf:2: option 'seconds per replication step' = '0' is not a number >= 1"],
    [`${sec}default proxy enabled = y\n`, "DIR/stream.conf:2: option 'default proxy enabled' = 'y' is not one of yes, true, on, auto, on demand, no, false, off"],
    [`${sec}proxy enabled = y\n`, "DIR/stream.conf:2: option 'proxy enabled' = 'y' is not one of yes, true, on, auto, on demand, no, false, off"],
    [`${sec}default proxy destination = a:b\n`, "DIR/stream.conf:2: option 'default proxy destination' = 'a:b' has an invalid port 'b' in 'a:b'"],
    [`${sec}proxy destination = [::1\n`, "DIR/stream.conf:2: option 'proxy destination' = '[::1' has an unterminated IPv6 address in '[::1'"],
    ['[stream]\nenabled = 1\n', "DIR/stream.conf:2: option 'enabled' = '1' is not one of yes, true, on, auto, on demand, no, false, off"],
    ['[stream]\ndestination = parent:port\n', "DIR/stream.conf:2: option 'destination' = 'parent:port' has an invalid port 'port' in 'parent:port'"],
    ['[stream]\ntimeout seconds = 0\n', "DIR/stream.conf:2: option 'timeout seconds' = '0' is not a number >= 1"],
    ['[stream]\nreconnect delay seconds = soon\n', "DIR/stream.conf:2: option 'reconnect delay seconds' = 'soon' is not a number"],
    ['[stream]\nbuffer size bytes = 10MB\n', "DIR/stream.conf:2: option 'buffer size bytes' = '10MB' is not a number"],
    ['[stream]\nenable compression = si\n', "DIR/stream.conf:2: option 'enable compression' = 'si' is not one of yes, true, on, auto, on demand, no, false, off"],
    ['[stream]\nssl skip certificate verification = si\n', "DIR/stream.conf:2: option 'ssl skip certificate verification' = 'si' is not one of yes, true, on, auto, on demand, no, false, off"],
    ['[stream]\ndefault port = 0\n', "DIR/stream.conf:2: option 'default port' = '0' is not a number between 1 and 65535"],
    ['[stream]\ninitial clock resync iterations = many\n', "DIR/stream.conf:2: option 'initial clock resync iterations' = 'many' is not a number"],
  ])('%j', (text, message) => {
    expect(loadErrors({ 'stream.conf': text })).toEqual([message]);
  });

  it('warns about unknown options and non-GUID sections with FILE:LINE', () => {
    const c = load({ 'stream.conf': `[stream]\nenabeld = yes\n[API_KEY]\nenabled = yes\n${sec}allow frm = *\n` });
    expect(warningsOf(c)).toEqual([
      "DIR/stream.conf:2: unknown option 'enabeld' in section [stream], ignored",
      'DIR/stream.conf:3: section [API_KEY] is neither [stream] nor an API key or machine GUID, ignored',
      `DIR/stream.conf:6: unknown option 'allow frm' in section [${KEY}], ignored`,
    ]);
  });
});
