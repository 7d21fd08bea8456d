import { authorizeStream, resolveStreamSettings } from '../src/index';
import { load, removeConfigDirs } from './config-dir';

afterAll(removeConfigDirs);

const KEY = '11111111-2222-3333-4444-555555555555';
const GUID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const ids = { apiKey: KEY, machineGuid: GUID };

describe('resolveStreamSettings precedence: netdata.conf -> key section -> machine section', () => {
  it('uses netdata.conf defaults when the sections set nothing', () => {
    const c = load({
      'netdata.conf': '[db]\nmode = ram\nretention = 900\nenable replication = no\nseconds to replicate = 10\nseconds per replication step = 5\n[health]\nenabled = no\n',
      'stream.conf': `[${KEY}]\nenabled = yes\n`,
    });
    const s = resolveStreamSettings(c, ids);
    expect(s).toMatchObject({
      memoryMode: 'ram', history: 900, health: 'no', enableCompression: true, enableReplication: false,
      secondsToReplicate: 10, secondsPerReplicationStep: 5, updateEvery: undefined, postponeAlarmsOnConnectSeconds: 60,
    });
    expect(s.key).toMatchObject({ found: true, type: 'api', enabled: true });
    expect(s.machine).toMatchObject({ found: false, type: 'machine', enabled: true });
    expect(s.proxy).toMatchObject({ enabled: false, destination: [], apiKey: '' });
  });

  it('uses Netdata defaults for an empty config: health yes, dbengine, 3600, replication on', () => {
    const s = resolveStreamSettings(load({}), ids);
    expect(s).toMatchObject({ memoryMode: 'dbengine', history: 3600, health: 'yes', enableReplication: true, secondsToReplicate: 86400, secondsPerReplicationStep: 600 });
    expect(s.key).toMatchObject({ found: false, enabled: false });
  });

  it('lets the key section override netdata.conf and the machine section override both', () => {
    const c = load({
      'stream.conf': [
        '[stream]', 'enabled = yes', 'destination = up:1', `api key = ${KEY}`, 'send charts matching = *',
        `[${KEY}]`, 'enabled = yes', 'default history = 100', 'default memory mode = save', 'health enabled by default = auto',
        'default postpone alarms on connect seconds = 30', 'enable replication = no', 'seconds to replicate = 50',
        'seconds per replication step = 7', 'default proxy enabled = no', 'default proxy destination = k:2',
        'default proxy api key = kk', 'default proxy send charts matching = k.*',
        `[${GUID}]`, 'history = 200', 'memory mode = ram', 'health enabled = yes', 'postpone alarms on connect seconds = 5',
        'enable replication = yes', 'update every = 2', 'proxy enabled = yes', 'proxy destination = m:3', 'proxy api key = mm',
      ].join('\n'),
    });
    const s = resolveStreamSettings(c, ids);
    expect(s).toMatchObject({
      history: 200, memoryMode: 'ram', health: 'yes', postponeAlarmsOnConnectSeconds: 5, enableReplication: true,
      secondsToReplicate: 50, secondsPerReplicationStep: 7, updateEvery: 2,
    });
    expect(s.proxy.enabled).toBe(true);
    expect(s.proxy.destination.map((d) => d.host)).toEqual(['m']);
    expect(s.proxy.apiKey).toBe('mm');
    expect(s.proxy.sendChartsMatching.matches('k.x')).toBe(true);
    expect(s.proxy.sendChartsMatching.matches('m.x')).toBe(false);

    const keyOnly = resolveStreamSettings(c, { apiKey: KEY, machineGuid: '99999999-bbbb-cccc-dddd-eeeeeeeeeeee' });
    expect(keyOnly).toMatchObject({ history: 100, memoryMode: 'save', health: 'auto', postponeAlarmsOnConnectSeconds: 30, enableReplication: false });
    expect(keyOnly.proxy).toMatchObject({ enabled: false, apiKey: 'kk' });
    expect(keyOnly.proxy.destination.map((d) => d.host)).toEqual(['k']);
  });

  it('switches health off for a host without a database, keeping what was configured', () => {
    const c = load({ 'stream.conf': `[${KEY}]\nenabled = yes\nhealth enabled by default = yes\n[${GUID}]\nmemory mode = none\n` });
    expect(resolveStreamSettings(c, ids)).toMatchObject({ memoryMode: 'none', health: 'yes', healthEffective: 'no' });
    expect(resolveStreamSettings(c, { apiKey: KEY, machineGuid: '99999999-bbbb-cccc-dddd-eeeeeeeeeeee' })).toMatchObject({ health: 'yes', healthEffective: 'yes' });
  });

  it.each([
    ['yes', 'yes', 'yes', true],
    ['no', 'yes', 'yes', false],
    ['yes', 'yes', 'no', false],
    ['yes', 'no', undefined, false],
    // Not a plain AND: a real 1.37 parent lets the machine section override the key section.
    ['yes', 'no', 'yes', true],
    ['yes', undefined, undefined, true],
    ['no', undefined, undefined, false],
    [undefined, undefined, 'no', false],
  ])('compression: [stream] %s, key %s, machine %s -> %s', (global, key, machine, expected) => {
    const lines = ['[stream]'];
    if (global) lines.push(`enable compression = ${global}`);
    lines.push(`[${KEY}]`, 'enabled = yes');
    if (key) lines.push(`enable compression = ${key}`);
    lines.push(`[${GUID}]`);
    if (machine) lines.push(`enable compression = ${machine}`);
    expect(resolveStreamSettings(load({ 'stream.conf': lines.join('\n') }), ids).enableCompression).toBe(expected);
  });
});

describe('authorizeStream: a 1.37 parent\'s checks in its order', () => {
  const conf = (stream: string, netdata = ''): ReturnType<typeof load> => load({ 'stream.conf': stream, 'netdata.conf': netdata });

  it('accepts an enabled key from an allowed address', () => {
    const c = conf(`[${KEY}]\nenabled = yes\nallow from = !10.1.2.3 10.*\n`);
    expect(authorizeStream(resolveStreamSettings(c, ids), '10.1.2.4')).toEqual({ allowed: true });
  });

  it.each<[string, string, string, string]>([
    ['web allow streaming from', `[${KEY}]\nenabled = yes\n`, '[web]\nallow streaming from = 192.*\n', "streaming from '10.0.0.1' is not allowed by [web] allow streaming from"],
    ['absent key section', '', '', `API key '${KEY}' is not allowed`],
    ['disabled key', `[${KEY}]\nenabled = no\n`, '', `API key '${KEY}' is not allowed`],
    ['key used as machine', `[${KEY}]\ntype = machine\nenabled = yes\n`, '', `API key '${KEY}' is a machine GUID, not an API key`],
    ['key allow from', `[${KEY}]\nenabled = yes\nallow from = !10.0.0.1 *\n`, '', `API key '${KEY}' is not permitted from this IP`],
    ['machine typed api', `[${KEY}]\nenabled = yes\n[${GUID}]\ntype = api\n`, '', `machine GUID '${GUID}' is an api GUID, not a machine`],
    ['machine disabled', `[${KEY}]\nenabled = yes\n[${GUID}]\nenabled = no\n`, '', `machine GUID '${GUID}' is not allowed.`],
    ['machine allow from', `[${KEY}]\nenabled = yes\n[${GUID}]\nallow from = localhost\n`, '', `Machine GUID '${GUID}' is not permitted from this IP.`],
  ])('denies: %s', (_n, stream, netdata, reason) => {
    expect(authorizeStream(resolveStreamSettings(conf(stream, netdata), ids), '10.0.0.1')).toEqual({ allowed: false, reason });
  });

  it('denies keys and machine GUIDs that are not GUIDs', () => {
    const c = conf(`[${KEY}]\nenabled = yes\n`);
    expect(authorizeStream(resolveStreamSettings(c, { apiKey: 'secret', machineGuid: GUID }), 'localhost')).toEqual({ allowed: false, reason: "API key 'secret' is not valid GUID" });
    expect(authorizeStream(resolveStreamSettings(c, { apiKey: KEY, machineGuid: 'box' }), 'localhost')).toEqual({ allowed: false, reason: "machine GUID 'box' is not GUID" });
  });

  it('treats an empty allow from as allow all (Netdata skips the check)', () => {
    const c = conf(`[${KEY}]\nenabled = yes\nallow from =\n`);
    expect(authorizeStream(resolveStreamSettings(c, ids), 'anything')).toEqual({ allowed: true });
  });

  it('looks sections up case-sensitively, as Netdata does', () => {
    const c = conf(`[${KEY.toUpperCase()}]\nenabled = yes\n`);
    expect(resolveStreamSettings(c, ids).key.found).toBe(true);
    const upper = conf(`[AAAAAAAA-2222-3333-4444-555555555555]\nenabled = yes\n`);
    expect(resolveStreamSettings(upper, { apiKey: 'aaaaaaaa-2222-3333-4444-555555555555', machineGuid: GUID }).key.found).toBe(false);
  });
});
