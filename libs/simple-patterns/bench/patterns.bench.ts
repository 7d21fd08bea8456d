import { loadavg } from 'node:os';
import { SimplePattern } from '../src/index';

// A 10-token `allow from`-style pattern against a mix of subjects that hit early, late and never.
const PATTERN = '!10.1.2.3 !10.1.2.4 192.168.* *.example.com !*bad* 172.16.*.1 10.*.*.7 host-??-* *lab*web* localhost';
const SUBJECTS = [
  'localhost',
  '10.1.2.3',
  '192.168.1.20',
  'node.example.com',
  '172.16.5.1',
  '8.8.8.8',
  'a-very-bad-host',
  'my-lab-web-01',
  '10.20.30.7',
  'unmatched.host.name.example.org',
];

function run(p: SimplePattern, iterations: number): number {
  let hits = 0;
  const n = SUBJECTS.length;
  for (let i = 0; i < iterations; i++) if (p.matches(SUBJECTS[i % n])) hits++;
  return hits;
}

const pattern = SimplePattern.compile(PATTERN);
run(pattern, 2_000_000);

// The machine is shared with other work, so wall-clock rates swing with the load: report the rate per CPU-second of
// this process (what the matcher costs) next to the wall-clock one, best and median of several rounds.
const iterations = 5_000_000;
const wall: number[] = [];
const cpu: number[] = [];
let hits = 0;
for (let round = 0; round < 7; round++) {
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  hits = run(pattern, iterations);
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu0);
  wall.push(iterations / wallSeconds);
  cpu.push(iterations / ((used.user + used.system) / 1e6));
}
wall.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const mps = (r: number): string => `${(r / 1e6).toFixed(2)}M/s`;
const median = (xs: number[]): number => xs[xs.length >> 1];
console.log(
  `simple-patterns: ${pattern.size}-token pattern, ${SUBJECTS.length} subjects, ${wall.length} rounds of ${iterations} ` +
    `matches (${hits} matched per round)\n` +
    `  per CPU-second: best ${mps(cpu[cpu.length - 1])}, median ${mps(median(cpu))}\n` +
    `  wall clock:     best ${mps(wall[wall.length - 1])}, median ${mps(median(wall))}  (load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; target >= 5M matches/s)`,
);
