import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { parseHealthFile, parseHealthText } from './health.parser';

const FULL = `
# a comment
 alarm: cpu_usage
    on: system.cpu
 class: Utilization
  type: System
component: CPU
    os: linux freebsd
 hosts: *
plugin: proc.plugin
module: /proc/stat
host labels: _os_name=linux
chart labels: cpu=cpu0
lookup: average -10m unaligned of user,system
  calc: $this * 2
 every: 1m
 green: 50
   red: 80
  warn: $this > (($status >= $WARNING)  ? (75) : (85))
  crit: $this > (($status == $CRITICAL) ? (85) : (95))
 units: %
  info: average CPU utilization over the last 10 minutes
    to: sysadmin
  exec: /bin/true
 delay: up 1m down 5m multiplier 1.5 max 1h
repeat: warning 2h critical 10m
options: no-clear-notification

template: disk_space_usage
      on: disk.space
families: !/dev !/run *
  charts: disk_space.*
  lookup: max -1m percentage of avail
`;

describe('parseHealthText', () => {
  const r = parseHealthText(FULL, 'cpu.conf');

  it('parses every line kind with FILE:LINE', () => {
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    const [a, t] = r.definitions;
    expect(a).toMatchObject({ kind: 'alarm', name: 'cpu_usage', file: 'cpu.conf', line: 3 });
    expect(a.on).toEqual({ value: 'system.cpu', file: 'cpu.conf', line: 4 });
    const text = (k: keyof typeof a): unknown => (a[k] as { value: unknown } | undefined)?.value;
    expect({
      class: text('class'), type: text('type'), component: text('component'), os: text('os'), hosts: text('hosts'),
      plugin: text('plugin'), module: text('module'), hostLabels: text('hostLabels'), chartLabels: text('chartLabels'),
      calc: text('calc'), every: text('every'), green: text('green'), red: text('red'), units: text('units'),
      info: text('info'), to: text('to'), exec: text('exec'), options: text('options'),
    }).toEqual({
      class: 'Utilization', type: 'System', component: 'CPU', os: 'linux freebsd', hosts: '*', plugin: 'proc.plugin',
      module: '/proc/stat', hostLabels: '_os_name=linux', chartLabels: 'cpu=cpu0', calc: '$this * 2', every: 60,
      green: '50', red: '80', units: '%', info: 'average CPU utilization over the last 10 minutes', to: 'sysadmin',
      exec: '/bin/true', options: ['no-clear-notification'],
    });
    expect(a.warn?.value).toBe('$this > (($status >= $WARNING) ? (75) : (85))');
    expect(a.updateEvery).toBe(60);
    expect(a.crit).toMatchObject({ value: '$this > (($status == $CRITICAL) ? (85) : (95))', line: 20 });
    expect(a.lookup?.value).toMatchObject({ method: 'average', after: -600, unaligned: true, dimensions: 'user,system' });
    expect(a.delay?.value).toEqual({ up: 60, down: 300, multiplier: 1.5, max: 3600 });
    expect(a.repeat?.value).toEqual({ warning: 7200, critical: 600 });

    expect(t).toMatchObject({ kind: 'template', name: 'disk_space_usage', line: 29 });
    expect(t.families?.value).toBe('!/dev !/run *');
    expect(t.charts?.value).toBe('disk_space.*');
    expect(t.lookup?.value).toMatchObject({ method: 'max', after: -60, percentage: true, dimensions: 'avail' });
  });

  it('joins lines ending in a backslash and reports the first line', () => {
    const x = parseHealthText('alarm: a\non: x\nwarn: $this > 1 \\\n   && $this < 5\ncrit: 1\n', 'f');
    expect(x.definitions[0].warn).toEqual({ value: '$this > 1 && $this < 5', file: 'f', line: 3 });
    expect(x.definitions[0].crit?.line).toBe(5);
  });

  it('collapses whitespace inside values as Netdata\'s trim_all() does', () => {
    expect(parseHealthText('alarm: a\ninfo:  two   spaces\there \n', 'f').definitions[0].info?.value).toBe('two spaces here');
  });

  it('derives updateEvery from the every and lookup lines in file order', () => {
    const defs = parseHealthText(
      'alarm: a\nlookup: average -5m\nalarm: b\nlookup: average -5m every 10s\nalarm: c\nlookup: max -1m\nevery: 20s\nalarm: d\nevery: 20s\nlookup: max -1m\nalarm: e\ncalc: 1\n',
      'f',
    ).definitions;
    expect(defs.map((d) => d.updateEvery)).toEqual([300, 10, 20, 60, undefined]);
  });

  it('reads keys case-insensitively', () => {
    const x = parseHealthText('ALARM: a\nOn: x\nHost Labels: a=b\n', 'f');
    expect(x.definitions[0]).toMatchObject({ kind: 'alarm', name: 'a', on: { value: 'x' }, hostLabels: { value: 'a=b' } });
  });

  it('keeps a colon inside the value', () => {
    expect(parseHealthText('alarm: a\ninfo: ratio: high\n', 'f').definitions[0].info?.value).toBe('ratio: high');
  });

  it('derives delay max from up/down and reads repeat off', () => {
    const x = parseHealthText('alarm: a\ndelay: down 15m\nrepeat: off\n', 'f').definitions[0];
    expect(x.delay?.value).toEqual({ up: 0, down: 900, multiplier: 1, max: 900 });
    expect(x.repeat?.value).toEqual({ warning: 0, critical: 0 });
  });

  it.each([
    ['alarm: a\njust words\n', "f:2: health line 'just words' does not contain a ':'"],
    ['alarm:\non: x\n', 'f:1: health alarm without a name'],
    ['template:   \n', 'f:1: health template without a name'],
    ['alarm: a\nlookup: avg -1m\n', "f:2: alarm 'a': 'lookup: avg -1m' has an invalid group method 'avg'"],
    ['alarm: a\nlookup: average -1m sideways\n', "f:2: alarm 'a': 'lookup: average -1m sideways' has an unknown keyword 'sideways'"],
    ['alarm: a\nevery: often\n', "f:2: alarm 'a': 'every: often' is not a positive duration"],
    ['alarm: a\nevery: 0\n', "f:2: alarm 'a': 'every: 0' is not a positive duration"],
    ['alarm: a\ndelay: up\n', "f:2: alarm 'a': 'delay: up' has no value after 'up'"],
    ['alarm: a\ndelay: up soon\n', "f:2: alarm 'a': 'delay: up soon' has an invalid duration 'soon' for 'up'"],
    ['alarm: a\ndelay: multiplier x\n', "f:2: alarm 'a': 'delay: multiplier x' has an invalid multiplier 'x'"],
    ['alarm: a\ndelay: sideways 1m\n', "f:2: alarm 'a': 'delay: sideways 1m' has an unknown keyword 'sideways' (not up, down, multiplier, max)"],
    ['alarm: a\nrepeat: warning\n', "f:2: alarm 'a': 'repeat: warning' has no value after 'warning'"],
    ['alarm: a\nrepeat: warning x\n', "f:2: alarm 'a': 'repeat: warning x' has an invalid duration 'x' for 'warning'"],
    ['alarm: a\nrepeat: often 1m\n', "f:2: alarm 'a': 'repeat: often 1m' has an unknown keyword 'often' (not off, warning, critical)"],
  ])('error %j', (text, message) => {
    expect(parseHealthText(text, 'f').errors.map((e) => e.message)).toEqual([message]);
  });

  it('warns about unknown keys, repeated keys, template-only keys in alarms, unknown options and lines outside a definition', () => {
    const x = parseHealthText('on: x\nalarm: a\non: y\non: z\ncolour: red\nfamilies: *\noptions: loud\n', 'f');
    expect(x.errors).toEqual([]);
    expect(x.warnings.map((w) => w.message)).toEqual([
      "f:1: health line 'on' is outside an alarm or template, ignored",
      "f:4: alarm 'a' has key 'on' twice (first at line 3), using the last one",
      "f:5: alarm 'a' has unknown key 'colour', ignored",
      "f:6: alarm 'a' has key 'families', which only templates use, ignored",
      "f:7: alarm 'a' has unknown option 'loud'",
    ]);
    expect(x.definitions[0].on?.value).toBe('z');
  });
});

describe('parseHealthFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'health-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file and names it in locations', () => {
    const path = join(dir, 'ok.conf');
    writeFileSync(path, 'template: t\non: system.load\n');
    expect(parseHealthFile(path)).toEqual([{ kind: 'template', name: 't', file: path, line: 1, on: { value: 'system.load', file: path, line: 2 } }]);
  });

  it('throws one ConfigError listing every syntax error', () => {
    const path = join(dir, 'bad.conf');
    writeFileSync(path, 'alarm: a\nnonsense\nevery: x\n');
    let caught: unknown;
    try {
      parseHealthFile(path);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues.map((e) => e.message)).toEqual([
      `${path}:2: health line 'nonsense' does not contain a ':'`,
      `${path}:3: alarm 'a': 'every: x' is not a positive duration`,
    ]);
  });
});
