import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = 100;

/** One process of a tree, named for the part of the stack it is. */
export interface TreeProcess {
  pid: number;
  part: string;
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function parentOf(pid: number): number {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return 0;
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Which part of the stack a command line is: an app of apps/, PostgreSQL, the launcher, or 'other'. */
export function partOf(cmdline: string): string {
  const app = /apps\/([a-z-]+)\/src\/main\.js/.exec(cmdline);
  if (app) return app[1];
  if (/postgres/.test(cmdline)) return 'postgresql';
  if (/launcher/.test(cmdline)) return 'launcher';
  return 'other';
}

/** Every live descendant of `root` (and root itself). */
export function processTree(root: number): TreeProcess[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (pid > 0) parents.set(pid, parentOf(pid));
  }
  const inTree = new Set<number>([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!inTree.has(pid) && inTree.has(ppid)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  const out: TreeProcess[] = [];
  for (const pid of inTree) {
    const cmd = read(`/proc/${pid}/cmdline`).replace(/\0/g, ' ');
    if (cmd) out.push({ pid, part: partOf(cmd) });
  }
  return out;
}

/** User + system CPU seconds a process used so far (0 once it is gone). */
export function cpuSeconds(pid: number): number {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return 0;
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

/**
 * Proportional set size: shared pages (node's binary, PostgreSQL's shared buffers) divided among the processes
 * that map them, so the sum over a tree is what it really costs, unlike RSS.
 */
export function pssBytes(pid: number): number {
  const m = /^Pss:\s+(\d+) kB/m.exec(read(`/proc/${pid}/smaps_rollup`));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Per part of the stack: CPU seconds and PSS bytes, summed over its processes. */
export function sampleTree(root: number): Map<string, { cpu: number; pss: number }> {
  const parts = new Map<string, { cpu: number; pss: number }>();
  for (const p of processTree(root)) {
    const e = parts.get(p.part) ?? { cpu: 0, pss: 0 };
    e.cpu += cpuSeconds(p.pid);
    e.pss += pssBytes(p.pid);
    parts.set(p.part, e);
  }
  return parts;
}
