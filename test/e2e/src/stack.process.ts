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
  private stopped = false;

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

  async waitFor(pattern: RegExp, timeoutMs: number, from = 0, afterExit = false): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.out.slice(from).match(pattern);
      if (m) return m;
      if (!afterExit && this.proc?.exitCode !== null && this.proc?.exitCode !== undefined) {
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

  /**
   * Ctrl-C, as a person stops it: SIGINT to npm's process group. npm itself exits at once; the launcher (in a group
   * of its own) then stops the apps in order and prints `[launcher] stopped`. Resolves with that line, or throws.
   */
  async stop(timeoutMs = 90_000): Promise<void> {
    const p = this.proc;
    if (!p?.pid || this.stopped) return;
    this.stopped = true;
    const mark = this.out.length;
    try {
      process.kill(-p.pid, 'SIGINT');
    } catch {
      // npm already gone: the launcher may still be running and is signalled below.
    }
    const launcherPid = this.launcherPid();
    if (launcherPid) signal(launcherPid, 'SIGINT');
    try {
      await this.waitFor(/\[launcher\] stopped/, timeoutMs, mark, true);
    } catch (e) {
      if (launcherPid) signal(-launcherPid, 'SIGKILL');
      throw e;
    }
  }

  private launcherPid(): number | undefined {
    const m = this.out.match(/\[launcher\] pid (\d+)/);
    return m?.[1] ? Number(m[1]) : undefined;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export function distEntry(app: string): string {
  return join(workspaceRoot(), 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
}
