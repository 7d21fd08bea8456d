import { readHealthText as parseHealthText } from './config-lib.health-source';

describe('health.d through @tributary/config', () => {
  it('reads alarms and templates with every key', () => {
    const { definitions, issues } = parseHealthText(
      `
# comment
 template: 10min_cpu_usage
       on: system.cpu
    class: Utilization
       os: linux
    hosts: *
   lookup: average -10m unaligned of user,system,softirq,irq,guest
    units: %
    every: 1m
     warn: $this > (($status >= $WARNING)  ? (75) : (85))
     crit: $this > (($status == $CRITICAL) ? (85) : (95))
    delay: down 15m multiplier 1.5 max 1h
   repeat: warning 10m critical 1m
  options: no-clear-notification
     info: average CPU utilization \\
           over 10 minutes
       to: sysadmin

    alarm: ram_free
       on: system.ram
     calc: $free
`,
      'cpu.conf',
    );
    expect(issues).toEqual([]);
    expect(definitions).toHaveLength(2);
    const t = definitions[0];
    expect(t).toMatchObject({ kind: 'template', name: '10min_cpu_usage', on: 'system.cpu', every: 60, units: '%', to: 'sysadmin' });
    expect(t.delay).toEqual({ up: 0, down: 900, multiplier: 1.5, max: 3600 });
    expect(t.warnRepeatEvery).toBe(600);
    expect(t.critRepeatEvery).toBe(60);
    expect(t.noClearNotification).toBe(true);
    expect(t.info.replace(/\s+/g, ' ')).toBe('average CPU utilization over 10 minutes');
    expect(t.source).toBe('3@cpu.conf');
    expect(t.lookup?.after).toBe(-600);
    expect(definitions[1]).toMatchObject({ kind: 'alarm', name: 'ram_free', calc: '$free' });
  });

  it('reports bad lines with file:line and skips only that stanza', () => {
    const { definitions, issues } = parseHealthText(
      ' alarm: a\n on: x\n lookup: sideways -1m\n\n alarm: b\n on: y\n calc: 1\n every: never\n\n alarm: c\n on: z\n calc: 1\n',
      'h.conf',
    );
    expect(issues.map((i) => `${i.file}:${i.line}`)).toEqual(['h.conf:3', 'h.conf:8']);
    expect(issues[0].message).toContain("invalid group method 'sideways'");
    expect(definitions.map((d) => d.name)).toEqual(['c']);
  });
});
