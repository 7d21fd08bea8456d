import { hostname } from 'node:os';
import { join } from 'node:path';
import { TributaryConfig } from '../src/index';
import { load, loadErrors, removeConfigDirs, warningsOf } from './config-dir';

afterAll(removeConfigDirs);

type Getter = (c: TributaryConfig) => unknown;

describe('netdata.conf defaults (nothing set, or no file at all)', () => {
  const none = load({});
  const empty = load({ 'netdata.conf': '# nothing\n' });
  it.each<[string, Getter, unknown]>([
    ['[global] hostname', (c) => c.netdata.global.hostname, hostname()],
    ['[db] mode', (c) => c.netdata.db.mode, 'dbengine'],
    ['[db] retention', (c) => c.netdata.db.retention, 3600],
    ['[db] update every', (c) => c.netdata.db.updateEvery, 1],
    ['[db] enable replication', (c) => c.netdata.db.enableReplication, true],
    ['[db] seconds to replicate', (c) => c.netdata.db.secondsToReplicate, 86400],
    ['[db] seconds per replication step', (c) => c.netdata.db.secondsPerReplicationStep, 600],
    ['[db] cleanup orphan hosts after secs', (c) => c.netdata.db.cleanupOrphanHostsAfterSecs, 3600],
    ['[web] mode', (c) => c.netdata.web.mode, 'static-threaded'],
    ['[web] default port', (c) => c.netdata.web.defaultPort, 19999],
    ['[web] bind to', (c) => c.netdata.web.bindTo.map((b) => `${b.host}:${b.port}`), ['*:19999']],
    ['[web] ssl key', (c) => c.netdata.web.sslKey, 'DIR/ssl/key.pem'],
    ['[web] ssl certificate', (c) => c.netdata.web.sslCertificate, 'DIR/ssl/cert.pem'],
    ['[web] accept a streaming request every seconds', (c) => c.netdata.web.acceptAStreamingRequestEverySeconds, 0],
    ['[web] allow streaming from', (c) => c.netdata.web.allowStreamingFrom.text, '*'],
    ['[health] enabled', (c) => c.netdata.health.enabled, true],
    ['[host labels]', (c) => c.netdata.hostLabels, {}],
  ])('%s', (_name, get, expected) => {
    for (const c of [none, empty]) {
      const v = get(c);
      expect(typeof v === 'string' ? v.replace(c.dir, 'DIR') : v).toEqual(expected);
    }
  });
});

describe('netdata.conf set values', () => {
  const c = load({
    'netdata.conf': [
      '[global]',
      '  hostname = parent-1',
      '[db]',
      '  mode = ram',
      '  retention = 7200',
      '  update every = 2',
      '  enable replication = no',
      '  seconds to replicate = 3600',
      '  seconds per replication step = 60',
      '  cleanup orphan hosts after secs = 120',
      '[web]',
      '  mode = none',
      '  default port = 20000',
      '  bind to = 127.0.0.1=streaming^SSL=optional',
      '  ssl key = /k.pem',
      '  ssl certificate = /c.pem',
      '  accept a streaming request every seconds = 5',
      '  allow streaming from = !10.1.2.3 10.*',
      '[health]',
      '  enabled = no',
      '[host labels]',
      '  room = b12',
      '  rack = 4',
    ].join('\n'),
  });
  it.each<[string, Getter, unknown]>([
    ['[global] hostname', (x) => x.netdata.global.hostname, 'parent-1'],
    ['[db] mode', (x) => x.netdata.db.mode, 'ram'],
    ['[db] retention', (x) => x.netdata.db.retention, 7200],
    ['[db] update every', (x) => x.netdata.db.updateEvery, 2],
    ['[db] enable replication', (x) => x.netdata.db.enableReplication, false],
    ['[db] seconds to replicate', (x) => x.netdata.db.secondsToReplicate, 3600],
    ['[db] seconds per replication step', (x) => x.netdata.db.secondsPerReplicationStep, 60],
    ['[db] cleanup orphan hosts after secs', (x) => x.netdata.db.cleanupOrphanHostsAfterSecs, 120],
    ['[web] mode', (x) => x.netdata.web.mode, 'none'],
    ['[web] default port', (x) => x.netdata.web.defaultPort, 20000],
    ['[web] bind to', (x) => x.netdata.web.bindTo, [
      { protocol: 'tcp', host: '127.0.0.1', port: 20000, acl: ['streaming'], ssl: 'optional', text: '127.0.0.1=streaming^SSL=optional' },
    ]],
    ['[web] ssl key', (x) => x.netdata.web.sslKey, '/k.pem'],
    ['[web] ssl certificate', (x) => x.netdata.web.sslCertificate, '/c.pem'],
    ['[web] accept a streaming request every seconds', (x) => x.netdata.web.acceptAStreamingRequestEverySeconds, 5],
    ['[web] allow streaming from', (x) => [x.netdata.web.allowStreamingFrom.pattern.matches('10.1.2.3'), x.netdata.web.allowStreamingFrom.pattern.matches('10.9.9.9')], [false, true]],
    ['[health] enabled', (x) => x.netdata.health.enabled, false],
    ['[host labels]', (x) => x.netdata.hostLabels, { room: 'b12', rack: '4' }],
  ])('%s', (_name, get, expected) => {
    expect(get(c)).toEqual(expected);
  });

  it('has no warnings', () => {
    expect(warningsOf(c)).toEqual([]);
  });
});

describe('netdata.conf legacy [global] names', () => {
  it('reads memory mode, history and update every from [global] when [db] does not set them', () => {
    const c = load({ 'netdata.conf': '[global]\nmemory mode = save\nhistory = 600\nupdate every = 3\n' });
    expect([c.netdata.db.mode, c.netdata.db.retention, c.netdata.db.updateEvery]).toEqual(['save', 600, 3]);
  });

  it('lets [db] win over [global]', () => {
    const c = load({ 'netdata.conf': '[global]\nmemory mode = save\nhistory = 600\n[db]\nmode = none\nretention = 900\n' });
    expect([c.netdata.db.mode, c.netdata.db.retention]).toEqual(['none', 900]);
  });

  it('accepts every memory mode', () => {
    for (const mode of ['dbengine', 'ram', 'save', 'map', 'alloc', 'none']) {
      expect(load({ 'netdata.conf': `[global]\nmemory mode = ${mode}\n` }).netdata.db.mode).toBe(mode);
    }
  });

  it('an empty allow streaming from allows everyone', () => {
    const c = load({ 'netdata.conf': '[web]\nallow streaming from =\n' });
    expect(c.netdata.web.allowStreamingFrom.pattern.matches('1.2.3.4')).toBe(true);
  });
});

describe('netdata.conf errors and warnings', () => {
  it.each([
    ['[db]\nmode = disk\n', "DIR/netdata.conf:2: option 'mode' = 'disk' is not one of dbengine, ram, save, map, alloc, none"],
    ['[global]\n\nmemory mode = RAM\n', "DIR/netdata.conf:3: option 'memory mode' = 'RAM' is not one of dbengine, ram, save, map, alloc, none"],
    ['[web]\nmode = multi-threaded\n', "DIR/netdata.conf:2: option 'mode' = 'multi-threaded' is not one of none, static-threaded"],
    ['[web]\ndefault port = http\n', "DIR/netdata.conf:2: option 'default port' = 'http' is not a number"],
    ['[web]\ndefault port = 70000\n', "DIR/netdata.conf:2: option 'default port' = '70000' is not a number between 1 and 65535"],
    ['[web]\nbind to = 127.0.0.1:1^SSL=force\n', "DIR/netdata.conf:2: option 'bind to' = '127.0.0.1:1^SSL=force' is not a valid list of [PROTOCOL:]IP[:PORT][=ACL...][^SSL=force|optional]"],
    ['[web]\naccept a streaming request every seconds = -1\n', "DIR/netdata.conf:2: option 'accept a streaming request every seconds' = '-1' is not a number >= 0"],
    ['[db]\nretention = 2\n', "DIR/netdata.conf:2: option 'retention' = '2' is not a number >= 5"],
    ['[global]\nhistory = lots\n', "DIR/netdata.conf:2: option 'history' = 'lots' is not a number"],
    ['[db]\nupdate every = 0\n', "DIR/netdata.conf:2: option 'update every' = '0' is not a number between 1 and 86400"],
    ['[db]\nenable replication = maybe\n', "DIR/netdata.conf:2: option 'enable replication' = 'maybe' is not one of yes, true, on, auto, on demand, no, false, off"],
    ['[db]\nseconds to replicate = 1d\n', "DIR/netdata.conf:2: option 'seconds to replicate' = '1d' is not a number"],
    ['[db]\nseconds per replication step = 0\n', "DIR/netdata.conf:2: option 'seconds per replication step' = '0' is not a number >= 1"],
    ['[db]\ncleanup orphan hosts after secs = x\n', "DIR/netdata.conf:2: option 'cleanup orphan hosts after secs' = 'x' is not a number"],
    ['[health]\nenabled = 1\n', "DIR/netdata.conf:2: option 'enabled' = '1' is not one of yes, true, on, auto, on demand, no, false, off"],
  ])('%j', (text, message) => {
    expect(loadErrors({ 'netdata.conf': text })).toEqual([message]);
  });

  it('collects every error of every file in one ConfigError', () => {
    expect(
      loadErrors({ 'netdata.conf': '[db]\nmode = x\nretention = y\n', 'stream.conf': '[stream]\nenabled = perhaps\n' }),
    ).toEqual([
      "DIR/netdata.conf:2: option 'mode' = 'x' is not one of dbengine, ram, save, map, alloc, none",
      "DIR/netdata.conf:3: option 'retention' = 'y' is not a number",
      "DIR/stream.conf:2: option 'enabled' = 'perhaps' is not one of yes, true, on, auto, on demand, no, false, off",
    ]);
  });

  it('warns with FILE:LINE about unknown options in the sections it reads, not about real Netdata ones', () => {
    const c = load({ 'netdata.conf': '[global]\nrun as user = netdata\nhostnme = x\n[web]\nweb server threads = 4\nallow streamin from = *\n[plugins]\nproc = no\n' });
    expect(warningsOf(c)).toEqual([
      "DIR/netdata.conf:3: unknown option 'hostnme' in section [global], ignored",
      "DIR/netdata.conf:6: unknown option 'allow streamin from' in section [web], ignored",
    ]);
  });

  it('resolves the default ssl paths inside the config dir', () => {
    const c = load({});
    expect(c.netdata.web.sslKey).toBe(join(c.dir, 'ssl', 'key.pem'));
  });
});
