import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, NetdataAgent, sharedDir, startNetdataParent } from '@tributary/testing';
import { HealthDefinition, parseHealthText } from '../src/index';

// Differential test: a real Netdata 1.37 parent loads a health.d file; its /api/v1/alarms?all (what it understood:
// lookup, intervals, delays, repeats, texts, source line) must equal what parseHealthText makes of the same file.

const LAB = `/tmp/netdata-lab-config-health-${process.pid}`;
const KEY = '00000000-1111-4222-8333-444444444444';

const HEALTH = `
# every line kind that ends up in /api/v1/alarms
 alarm: trib_a
    on: system.cpu
 class: Utilization
  type: System
component: CPU
lookup: average -10m unaligned of user,system
 every: 1m
  warn: $this > (($status >= $WARNING)  ?  (75) : (85))
  crit: $this > 1000
 units: %
  info: a   test alarm
    to: sysadmin
  exec: /bin/true
 delay: up 1m down 5m multiplier 1.5 max 1h
repeat: warning 2h critical 10m

 ALARM: trib_b
    ON: system.cpu
LOOKUP: max -1m at -30s every 10s absolute percentage of user system foreach *
  calc: $this * 2
  crit: $this > \\
        1000
 delay: down 15m
repeat: off

alarm: trib_c
   on: system.cpu
every: 20s
lookup: min -2m null2zero min2max
 warn: $this < 0

alarm: trib_d
   on: system.cpu
lookup: sum -30s of all
options: no-clear-notification
 crit: $this < -1

template: trib_t
      on: system.cpu
families: *
  lookup: incremental-sum -1m
   every: 15s
    warn: $this < -1
`;

// One alarm per grouping method, to compare the names Netdata reports.
const METHODS = ['mean', 'rsd', 'ewma', 'ema', 'countif', 'percentile95', 'percentile', 'trimmed-mean5', 'trimmed-median', 'median', 'stddev', 'cv', 'ses', 'des', 'incremental_sum', 'min', 'max', 'sum'];
const INVALID_METHODS = ['avg', 'percentile42', 'trimmed-mean4'];
const METHOD_ALARMS = [...METHODS, ...INVALID_METHODS]
  .map((m, i) => `alarm: method_${i}\non: system.cpu\nlookup: ${m} -1m\nwarn: $this < -1\n`)
  .join('\n');


type NetdataAlarm = Record<string, unknown>;

function unescape(s: unknown): unknown {
  return typeof s === 'string' ? s.replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&') : s;
}

const FLAGS = ['unaligned', 'absolute', 'percentage', 'min2max', 'null2zero'];

/** The fields of Netdata's alarm JSON that come from the definition, in Netdata's representation. */
function fromNetdata(a: NetdataAlarm): Record<string, unknown> {
  return {
    name: a['name'],
    chart: a['chart'],
    line: Number(String(a['source']).split('@')[0]),
    update_every: a['update_every'],
    delay: [a['delay_up_duration'], a['delay_down_duration'], a['delay_max_duration'], a['delay_multiplier']],
    repeat: [Number(a['warn_repeat_every']), Number(a['crit_repeat_every'])],
    lookup: [a['lookup_method'], a['lookup_after'], a['lookup_before'], a['lookup_dimensions'] ?? null],
    lookup_flags: String(a['lookup_options'] ?? '').split(/[ ,]+/).filter((o) => FLAGS.includes(o)).sort(),
    calc: unescape(a['calc']) ?? null,
    warn: unescape(a['warn']) ?? null,
    crit: unescape(a['crit']) ?? null,
  };
}

function fromOurs(d: HealthDefinition): Record<string, unknown> {
  const l = d.lookup?.value;
  const delay = d.delay?.value;
  return {
    name: d.name,
    chart: d.on?.value,
    line: d.line,
    update_every: d.updateEvery,
    delay: delay ? [delay.up, delay.down, delay.max, delay.multiplier] : [0, 0, 0, 1],
    repeat: d.repeat ? [d.repeat.value.warning, d.repeat.value.critical] : [0, 0],
    lookup: [l?.method, l?.after, l?.before, l?.dimensions ?? null],
    lookup_flags: FLAGS.filter((f) => l?.options.includes(f as never)).sort(),
    calc: d.calc?.value ?? null,
    warn: d.warn?.value ?? null,
    crit: d.crit?.value ?? null,
  };
}

describe('health.d parsing agrees with a real Netdata 1.37 parent', () => {
  let parent: NetdataAgent | undefined;
  let port = 0;
  let file = '';
  let alarms: Record<string, NetdataAlarm> = {};

  beforeAll(async () => {
    port = await freePort();
    parent = await startNetdataParent('cfghealth', port, KEY, { labDir: LAB, db: 'ram' });
    await parent.stop();
    mkdirSync(join(parent.dir, 'etc', 'health.d'), { recursive: true });
    file = join(parent.dir, 'etc', 'health.d', 'tributary-test.conf');
    writeFileSync(file, HEALTH + METHOD_ALARMS);
    const tools = join(sharedDir(), 'tools', 'netdata-child');
    execFileSync('bash', ['-c', `. "${tools}/common.sh" && nd_launch "$1" >/dev/null`, 'launch', parent.dir], {
      env: { ...process.env, ND_LAB_DIR: LAB },
    });
    // Alarms appear once the parent's own system.cpu chart exists and health has linked them.
    const deadline = Date.now() + 90000;
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/alarms?all`);
        const body = (await res.json()) as { alarms: Record<string, NetdataAlarm> };
        alarms = body.alarms;
        const names = ['trib_a', 'trib_b', 'trib_c', 'trib_d', 'trib_t', ...METHODS.map((_m, i) => `method_${i}`)];
        if (names.every((n) => `system.cpu.${n}` in alarms)) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`alarms never appeared: ${Object.keys(alarms).join(', ')}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }, 120000);

  afterAll(async () => {
    await parent?.stop(true);
    rmSync(LAB, { recursive: true, force: true });
  }, 30000);

  it('reads every definition as Netdata does', () => {
    const ours = parseHealthText(HEALTH, file);
    expect(ours.errors).toEqual([]);
    expect(ours.warnings).toEqual([]);
    for (const d of ours.definitions.filter((x) => x.name.startsWith('trib_'))) {
      expect(fromOurs(d)).toEqual(fromNetdata(alarms[`system.cpu.${d.name}`]));
    }
  });

  it('names every grouping method as Netdata does', () => {
    const valid = new Set(METHODS.map((_m, i) => `method_${i}`));
    const ours = parseHealthText(HEALTH + METHOD_ALARMS, file).definitions.filter((d) => valid.has(d.name));
    expect(ours.map((d) => `${d.name} ${d.lookup?.value.method}`)).toEqual(
      METHODS.map((_m, i) => `method_${i} ${String(alarms[`system.cpu.method_${i}`]?.['lookup_method'])}`),
    );
  });

  it('rejects the grouping methods Netdata rejects', () => {
    const r = parseHealthText(HEALTH + METHOD_ALARMS, file);
    const rejected = INVALID_METHODS.map((_m, j) => `method_${METHODS.length + j}`);
    expect(rejected.filter((n) => `system.cpu.${n}` in alarms)).toEqual([]);
    expect(r.errors.map((e) => e.message.replace(/^.*' has /, 'has '))).toEqual(INVALID_METHODS.map((m) => `has an invalid group method '${m}'`));
  });

  it('keeps the texts Netdata keeps', () => {
    const a = parseHealthText(HEALTH, file).definitions[0];
    const real = alarms['system.cpu.trib_a'];
    expect([a.units?.value, a.info?.value, a.to?.value, a.exec?.value, a.class?.value, a.type?.value, a.component?.value]).toEqual([
      real['units'], real['info'], real['recipient'], real['exec'], real['class'], real['type'], real['component'],
    ]);
  });
});
