import type { ChartDef, HostInfo } from '@tributary/protocol';
import { compileDefinition } from '../definition/definition.compiler';
import { readHealthText } from '../definition/config-lib.health-source';
import { AlarmLog } from '../log/alarm.log';
import { AlarmNotification, NotificationChannel } from '../notify/alarm-notification';
import { HealthEngine } from './health.engine';

const GUID = '11111111-2222-3333-4444-555555555555';

function host(extra: Partial<HostInfo> = {}): HostInfo {
  return { machineGuid: GUID, hostname: 'child1', os: 'linux', updateEvery: 1, labels: {}, healthEnabled: 'yes', memoryMode: 'dbengine', ...extra } as HostInfo;
}

function cpuChart(): ChartDef {
  return {
    id: 'system.cpu',
    name: 'system.cpu',
    family: 'cpu',
    context: 'system.cpu',
    updateEvery: 1,
    options: '',
    plugin: 'proc.plugin',
    module: '/proc/stat',
    labels: {},
    dimensions: ['user', 'system', 'idle'].map((id) => ({ id, name: id, algorithm: 'incremental', multiplier: 1, divisor: 1, options: '' })),
    lastEntryS: 0,
  } as unknown as ChartDef;
}

class Recorder implements NotificationChannel {
  readonly kind = 'exec';
  sent: AlarmNotification[] = [];
  appliesTo(): boolean {
    return true;
  }
  send(n: AlarmNotification): Promise<number> {
    this.sent.push(n);
    return Promise.resolve(0);
  }
}

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

function setup(conf: string, info: Partial<HostInfo> = {}) {
  const { definitions, issues } = readHealthText(conf, 'test.conf');
  expect(issues).toEqual([]);
  let now = 1_700_000_000;
  const rec = new Recorder();
  const engine = new HealthEngine(definitions.map(compileDefinition), new AlarmLog(null, 1000, now), [rec], silent, () => now);
  engine.upsertHost(host(info));
  engine.setState({ machineGuid: GUID, connected: true, atMs: now * 1000, reason: '', graceful: true, peer: '', ingestId: '' });
  const chart = engine.upsertChart(GUID, cpuChart());
  const feed = (user: number, seconds: number) => {
    for (let i = 0; i < seconds; i++) {
      now++;
      engine.addPoint(chart, 0, now, user);
      engine.addPoint(chart, 1, now, 1);
      engine.addPoint(chart, 2, now, 100 - user - 1);
      engine.tick(now);
    }
  };
  return { engine, rec, feed, clock: () => now, advance: (s: number) => (now += s) };
}

const CPU = `
 template: cpu_test
       on: system.cpu
   lookup: average -5s unaligned of user,system
    every: 1s
    units: %
     warn: $this > (($status >= $WARNING) ? (40) : (50))
     crit: $this > (($status == $CRITICAL) ? (70) : (80))
       to: sysadmin
     info: test cpu
`;

describe('HealthEngine', () => {
  it('forgets a host metric-store removed: its alarms, charts and unsent notifications', () => {
    const { engine, feed, rec } = setup(CPU.replace('to: sysadmin', 'to: sysadmin\n    delay: up 10s'));
    feed(90, 6);
    expect(engine.listAlarms(GUID, false)).toHaveLength(1);
    engine.removeHost(GUID);
    expect(engine.hosts.has(GUID)).toBe(false);
    expect(engine.listAlarms(GUID, true)).toEqual([]);
    feed(90, 20); // the delayed notification is not sent for a host that is gone
    expect(rec.sent).toEqual([]);
  });

  it("keeps each host's alarms when a host is named after another host's GUID", () => {
    const { engine, feed } = setup(CPU);
    const impostor = '99999999-2222-3333-4444-555555555555';
    engine.upsertHost(host({ machineGuid: impostor, hostname: GUID }));
    engine.setState({ machineGuid: impostor, connected: true, atMs: Date.now(), reason: '', graceful: true, peer: '', ingestId: '' });
    engine.upsertChart(impostor, cpuChart());
    feed(90, 6); // only the victim's chart gets points
    const byGuid = engine.listAlarms(GUID, false);
    expect(byGuid.map((a) => [a.machineGuid, a.status])).toEqual([[GUID, 'CRITICAL']]);
    const theirs = engine.listAlarms(impostor, true);
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((a) => a.machineGuid === impostor && a.status !== 'CRITICAL')).toBe(true);
  });

  it('goes CLEAR, WARNING, CRITICAL and back to CLEAR with hysteresis, logging and notifying each', () => {
    const { engine, rec, feed } = setup(CPU);
    feed(10, 6);
    expect(engine.listAlarms('child1', true)[0].status).toBe('CLEAR');
    feed(60, 6);
    expect(engine.listAlarms('child1', false).map((a) => a.status)).toEqual(['WARNING']);
    feed(90, 6);
    expect(engine.listAlarms('child1', false)[0].status).toBe('CRITICAL');
    feed(75, 6); // above the lowered critical threshold (70): stays CRITICAL
    expect(engine.listAlarms(GUID, false)[0].status).toBe('CRITICAL');
    feed(10, 7);
    expect(engine.listAlarms('child1', true)[0].status).toBe('CLEAR');
    const log = engine.alarmLog('child1', 0);
    // the 5s average walks down through the warning band on its way to clear
    expect(log.map((e) => `${e.oldStatus}>${e.status}`)).toEqual([
      'WARNING>CLEAR',
      'CRITICAL>WARNING',
      'WARNING>CRITICAL',
      'CLEAR>WARNING',
      'UNINITIALIZED>CLEAR',
    ]);
    expect(log[1].updatedById).toBe(log[0].uniqueId);
    expect(rec.sent.map((n) => n.entry.status)).toEqual(['WARNING', 'CRITICAL', 'WARNING', 'CLEAR']);
    expect(rec.sent[0].roles).toBe('sysadmin');
    expect(rec.sent[0].entry.value).toBeGreaterThan(50);
  });

  it('delays notifications and drops a status that was superseded within the delay', () => {
    const { engine, rec, feed } = setup(CPU.replace('info: test cpu', 'info: test cpu\n    delay: up 10s down 10s'));
    feed(10, 6);
    feed(60, 4); // WARNING, notification held for 10s
    expect(engine.listAlarms('child1', false)[0].status).toBe('WARNING');
    feed(10, 6); // back to CLEAR before the delay ran out
    feed(10, 12);
    expect(rec.sent).toEqual([]);
    const log = engine.alarmLog('child1', 0);
    expect(log[1].status).toBe('WARNING');
    expect(log[1].updated).toBe(true);
    expect(log[1].delay).toBe(10);
  });

  it('repeats WARNING notifications at the configured interval', () => {
    const { rec, feed } = setup(CPU.replace('info: test cpu', 'info: test cpu\n   repeat: warning 5s'));
    feed(10, 6);
    feed(60, 16);
    expect(rec.sent.filter((n) => n.repeating).length).toBeGreaterThanOrEqual(2);
    expect(rec.sent.filter((n) => !n.repeating).map((n) => n.entry.status)).toEqual(['WARNING']);
  });

  it('stops evaluating on disconnect with auto, keeps going with yes after an ungraceful one', () => {
    const LC = `
 template: last_collected
       on: system.cpu
     calc: $now - $last_collected_t
    every: 1s
     warn: $this > 5
     crit: $this > 10
`;
    for (const mode of ['auto', 'yes']) {
      const { engine, feed, advance, clock } = setup(LC, { healthEnabled: mode });
      feed(10, 3);
      engine.setState({ machineGuid: GUID, connected: false, atMs: clock() * 1000, reason: 'socket error', graceful: false, peer: '', ingestId: '' });
      for (let i = 0; i < 15; i++) engine.tick(advance(1));
      const status = engine.listAlarms('child1', true)[0].status;
      expect([mode, status]).toEqual([mode, mode === 'auto' ? 'CLEAR' : 'CRITICAL']);
    }
  });

  it('does not raise last_collected after a clean close even with health enabled = yes', () => {
    const { engine, feed, advance, clock } = setup(' template: lc\n on: system.cpu\n calc: $now - $last_collected_t\n every: 1s\n warn: $this > 5\n', {
      healthEnabled: 'yes',
    });
    feed(10, 3);
    engine.setState({ machineGuid: GUID, connected: false, atMs: clock() * 1000, reason: 'closed', graceful: true, peer: '', ingestId: '' });
    for (let i = 0; i < 15; i++) engine.tick(advance(1));
    expect(engine.listAlarms('child1', true)[0].status).toBe('CLEAR');
  });

  it('marks the alarms of a chart that became obsolete REMOVED and revives them with the chart', () => {
    const { engine, feed } = setup(CPU);
    feed(60, 6);
    expect(engine.listAlarms('child1', false)[0].status).toBe('WARNING');
    engine.upsertChart(GUID, { ...cpuChart(), options: 'obsolete' });
    feed(60, 3);
    expect(engine.listAlarms('child1', true)[0].status).toBe('REMOVED');
    expect(engine.alarmLog('child1', 0)[0]).toMatchObject({ oldStatus: 'WARNING', status: 'REMOVED' });
    engine.upsertChart(GUID, cpuChart());
    feed(60, 2);
    expect(engine.listAlarms('child1', false)[0].status).toBe('WARNING');
  });

  it('does not run an offline host it never saw connected (archived), even with health = yes', () => {
    const LC = ' template: lc\n on: system.cpu\n calc: $now - $last_collected_t\n every: 1s\n warn: $this > 5\n';
    const { definitions } = readHealthText(LC, 'lc.conf');
    let now = 1_700_000_000;
    const engine = new HealthEngine(definitions.map(compileDefinition), new AlarmLog(null, 1000, now), [], silent, () => now);
    engine.upsertHost(host({ healthEnabled: 'yes' }));
    engine.upsertChart(GUID, { ...cpuChart(), lastEntryS: now - 100 });
    engine.setState({ machineGuid: GUID, connected: false, atMs: (now - 100) * 1000, reason: 'socket error', graceful: false, peer: '', ingestId: '' });
    for (let i = 0; i < 5; i++) engine.tick(++now);
    expect(engine.listAlarms('child1', true)[0].status).toBe('UNINITIALIZED');
  });

  it('expands a foreach lookup into one alarm per matching dimension', () => {
    const { engine, feed } = setup(' template: per_dim\n on: system.cpu\n lookup: max -3s unaligned foreach user,system\n every: 1s\n warn: $this > 50\n');
    feed(70, 4);
    const alarms = engine.listAlarms('child1', true).sort((a, b) => a.name.localeCompare(b.name));
    expect(alarms.map((a) => [a.name, a.status, a.value])).toEqual([
      ['per_dim_system', 'CLEAR', 1],
      ['per_dim_user', 'WARNING', 70],
    ]);
    expect(alarms[0].id).not.toBe(alarms[1].id);
  });

  it('runs nothing for health = no or memory mode none', () => {
    for (const info of [{ healthEnabled: 'no' }, { memoryMode: 'none' }]) {
      const { engine, feed } = setup(CPU, info);
      feed(90, 8);
      expect(engine.listAlarms('child1', true)[0].status).toBe('UNINITIALIZED');
    }
  });

  it('resolves dimension, chart and host variables, and VARIABLEs from the stream', () => {
    const { engine, feed } = setup(` alarm: vars
 on: system.cpu
 calc: $user + $system + $threshold + \${system.cpu.idle} * 0 + $hostvar
 every: 1s
 warn: $this > 1000
`);
    engine.setVariable({ machineGuid: GUID, chartId: 'system.cpu', name: 'threshold', value: 100 });
    engine.setVariable({ machineGuid: GUID, chartId: '', name: 'hostvar', value: 5 });
    feed(20, 2);
    expect(engine.listAlarms('child1', true)[0].value).toBe(20 + 1 + 100 + 5);
  });

  it('gives NaN for a calc with an unknown variable and UNDEFINED for such a warn, as Netdata', () => {
    const { engine, feed } = setup(' alarm: bad\n on: system.cpu\n calc: $nope\n every: 1s\n warn: $this > 1\n\n alarm: bad2\n on: system.cpu\n calc: 1\n every: 1s\n warn: $nope > 1\n');
    feed(20, 2);
    const [a, b] = engine.listAlarms('child1', true);
    expect(a.value).toBeNaN();
    expect(a.status).toBe('CLEAR');
    expect(b.status).toBe('UNDEFINED');
  });

  it('binds templates only to matching hosts, os and families', () => {
    const conf = `
 template: only_other_host
 on: system.cpu
 hosts: !child1 *
 calc: 1
 warn: $this > 0

 template: only_cpu_family
 on: system.cpu
 families: cpu
 os: linux freebsd
 calc: 1
 warn: $this > 0

 template: host_label
 on: system.cpu
 host labels: role=db*
 calc: 1
 warn: $this > 0
`;
    const { engine } = setup(conf);
    expect(engine.listAlarms('child1', true).map((a) => a.name)).toEqual(['only_cpu_family']);
    engine.upsertHost(host({ labels: { role: 'dbmain' } }));
    expect(engine.listAlarms('child1', true).map((a) => a.name).sort()).toEqual(['host_label', 'only_cpu_family']);
  });
});
