// npm run bench:health — 10k alarms over 1000 hosts (10 per host, Netdata-like templates with 10-minute lookups)
// on rings full of points, driven through the same HealthEngine the app runs. Prints evaluations/s, the time one
// full round of all alarms takes against their `every`, and the cost of feeding live points.
import type { ChartDef, HostInfo } from '@tributary/protocol';
import { HealthEngine } from '../alarm/health.engine';
import { compileDefinition } from '../definition/definition.compiler';
import { readHealthText } from '../definition/config-lib.health-source';
import { ChartRuntime } from '../host/host.model';
import { AlarmLog } from '../log/alarm.log';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 1000);
const EVERY = 10;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);

const CONF = `
 template: 10min_cpu_usage
 on: system.cpu
 lookup: average -10m unaligned of user,system,softirq,irq,guest
 every: ${EVERY}s
 warn: $this > (($status >= $WARNING) ? (75) : (85))
 crit: $this > (($status == $CRITICAL) ? (85) : (95))
 delay: down 15m multiplier 1.5 max 1h

 template: 10min_cpu_iowait
 on: system.cpu
 lookup: average -10m unaligned of iowait
 every: ${EVERY}s
 warn: $this > (($status >= $WARNING) ? (20) : (40))
 crit: $this > (($status == $CRITICAL) ? (40) : (50))

 template: 1min_cpu_max
 on: system.cpu
 lookup: max -1m of user
 every: ${EVERY}s
 warn: $this > 90

 template: 1min_cpu_median
 on: system.cpu
 lookup: median -1m unaligned of system
 every: ${EVERY}s
 warn: $this > 50

 template: ram_in_use
 on: system.ram
 calc: $used * 100 / ($used + $cached + $free + $buffers)
 every: ${EVERY}s
 warn: $this > (($status >= $WARNING) ? (80) : (90))
 crit: $this > (($status == $CRITICAL) ? (90) : (98))

 template: load_average_15
 on: system.load
 lookup: max -1m unaligned of load15
 every: ${EVERY}s
 warn: ($this * 100 / $active_processors) > (($status >= $WARNING) ? 175 : 200)

 template: disk_space_usage
 on: disk.space
 calc: $used * 100 / ($avail + $used)
 every: ${EVERY}s
 warn: $this > (($status >= $WARNING ) ? (80) : (90))
 crit: $this > (($status == $CRITICAL) ? (90) : (98))

 template: interface_inbound_errors
 on: net.errors
 lookup: sum -10m unaligned absolute of inbound
 every: ${EVERY}s
 warn: $this >= 5
`;

function chart(id: string, context: string, dims: string[]): ChartDef {
  return {
    id,
    name: id,
    title: id,
    units: '',
    family: id.split('.')[1] ?? '',
    context,
    chartType: 'line',
    priority: 1,
    updateEvery: 1,
    options: '',
    plugin: 'proc.plugin',
    module: '',
    dimensions: dims.map((d) => ({ id: d, name: d, algorithm: 'absolute', multiplier: 1, divisor: 1, options: '' })),
    labels: {},
    firstEntryS: 0,
    lastEntryS: 0,
  };
}

const CHARTS: ChartDef[] = [
  chart('system.cpu', 'system.cpu', ['guest_nice', 'guest', 'steal', 'softirq', 'irq', 'user', 'system', 'nice', 'iowait']),
  chart('system.ram', 'system.ram', ['free', 'used', 'cached', 'buffers']),
  chart('system.load', 'system.load', ['load1', 'load5', 'load15']),
  chart('disk_space._', 'disk.space', ['avail', 'used', 'reserved_for_root']),
  chart('disk_space._home', 'disk.space', ['avail', 'used', 'reserved_for_root']),
  chart('net.eth0', 'net.errors', ['inbound', 'outbound']),
  chart('net.eth1', 'net.errors', ['inbound', 'outbound']),
];

function main(): void {
  const { definitions, issues } = readHealthText(CONF, 'bench.conf');
  if (issues.length) throw new Error(JSON.stringify(issues));
  let now = 1_700_000_000;
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const engine = new HealthEngine(definitions.map(compileDefinition), new AlarmLog(null, 1000, now), [], quiet, () => now);
  const charts: ChartRuntime[] = [];
  for (let h = 0; h < HOSTS; h++) {
    const guid = `00000000-0000-4000-8000-${String(h).padStart(12, '0')}`;
    engine.upsertHost({ machineGuid: guid, hostname: `host${h}`, os: 'linux', updateEvery: 1, labels: {}, healthEnabled: 'yes', memoryMode: 'dbengine' } as unknown as HostInfo);
    engine.setState({ machineGuid: guid, connected: true, atMs: now * 1000, reason: '', graceful: true, peer: '', ingestId: '' });
    engine.setVariable({ machineGuid: guid, chartId: '', name: 'active_processors', value: 4 });
    for (const c of CHARTS) charts.push(engine.upsertChart(guid, c));
  }
  const alarms = engine.alarmCount;
  let dims = 0;
  for (const c of charts) dims += c.dims.length;

  // 10 minutes of history for every dimension
  let seed = 1;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 100;
  const feedSecond = () => {
    now++;
    for (const c of charts) for (let d = 0; d < c.dims.length; d++) engine.addPoint(c, d, now, rnd());
  };
  for (let s = 0; s < 600; s++) feedSecond();

  const memory = process.memoryUsage();
  console.log(`health bench: ${HOSTS} hosts, ${alarms} alarms (every ${EVERY}s), ${dims} dimensions, 600 points each`);
  console.log(`memory: rss ${(memory.rss / 1048576).toFixed(0)} MB, heap ${(memory.heapUsed / 1048576).toFixed(0)} MB`);

  // every alarm is due at the same second: the worst case, one full round in one tick
  let bestRound = Infinity;
  let totalEval = 0;
  let totalMs = 0;
  for (let r = 0; r < ROUNDS; r++) {
    let ingestMs = 0;
    for (let s = 0; s < EVERY; s++) {
      const t0 = process.hrtime.bigint();
      feedSecond();
      ingestMs += Number(process.hrtime.bigint() - t0) / 1e6;
    }
    const t0 = process.hrtime.bigint();
    const n = engine.tick(now);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (n !== alarms) throw new Error(`round ${r}: evaluated ${n} of ${alarms}`);
    totalEval += n;
    totalMs += ms;
    bestRound = Math.min(bestRound, ms);
    console.log(
      `round ${r + 1}: ${n} evaluations in ${ms.toFixed(1)} ms (${((n / ms) * 1000).toFixed(0)} evaluations/s); ` +
        `feeding ${EVERY}s of points (${dims * EVERY} points) took ${ingestMs.toFixed(1)} ms`,
    );
  }
  const perSecond = (totalEval / totalMs) * 1000;
  console.log(`evaluations/s: ${perSecond.toFixed(0)}`);
  console.log(
    `one round of ${alarms} alarms: ${(totalMs / ROUNDS).toFixed(1)} ms mean, ${bestRound.toFixed(1)} ms best, budget ${EVERY * 1000} ms (every ${EVERY}s): ` +
      `${(totalMs / ROUNDS / (EVERY * 1000) * 100).toFixed(2)}% of one core`,
  );
  console.log(`alarm log entries written: ${engine.alarmLog('', 0).length}`);
}

main();
