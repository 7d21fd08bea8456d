import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from '@tributary/testing';

export interface StackPorts {
  publicPort: number;
  [env: string]: number;
}

/** The stack started exactly as the README says (`npm start`), with private dirs and ports. */
export class StackProcess {
  private proc?: ChildProcess;
  private out = '';

  constructor(
    private readonly env: Record<string, string>,
  ) {}

  output(): string {
    return this.out;
  }

  async start(timeoutMs = 240_000): Promise<void> {
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.env };
    // The README's one-machine stack brings its own embedded PostgreSQL: do not inherit the test run's server.
    delete env['DATABASE_URL'];
    this.proc = spawn('npm', ['start'], { cwd: workspaceRoot(), env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const onData = (b: Buffer) => {
      this.out += b.toString('utf8');
    };
    this.proc.stdout?.on('data', onData);
    this.proc.stderr?.on('data', onData);
    await this.waitFor(/Tributary is running/, timeoutMs);
  }

  async waitFor(pattern: RegExp, timeoutMs: number, from = 0): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.out.slice(from).match(pattern);
      if (m) return m;
      if (this.proc?.exitCode !== null && this.proc?.exitCode !== undefined) {
        throw new Error(`npm start exited (${this.proc.exitCode}):\n${this.out.slice(-6000)}`);
      }
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.out.slice(-6000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** The pid of an app's current process, from the launcher's `NAME started (pid N)` lines. */
  appPid(app: string): number {
    const all = [...this.out.matchAll(new RegExp(`\\[launcher\\] ${app} started \\(pid (\\d+)\\)`, 'g'))];
    const last = all.at(-1);
    if (!last?.[1]) throw new Error(`no pid for ${app}`);
    return Number(last[1]);
  }

  /** Ctrl-C, as a person stops it; resolves with the exit code. */
  async stop(timeoutMs = 90_000): Promise<number | null> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return p?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => p.once('exit', (code) => r(code)));
    if (p.pid) process.kill(-p.pid, 'SIGINT');
    const t = setTimeout(() => p.pid && process.kill(-p.pid, 'SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(t);
    return code;
  }
}

export function distEntry(app: string): string {
  return join(workspaceRoot(), 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
}
