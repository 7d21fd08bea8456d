import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface AppSpec {
  name: string;
  entry: string;
  env: Record<string, string>;
  /** URL answering 200 once the app is ready. */
  readyUrl?: string;
}

/** Runs one app as a child process; restarts it with backoff if it dies, until stop() is called. */
export class AppSupervisor {
  private child?: ChildProcess;
  private stopping = false;
  private restarts = 0;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly spec: AppSpec,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    const child = spawn(process.execPath, ['--enable-source-maps', this.spec.entry], {
      // Children log to a pipe: no terminal colour codes in the combined output.
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const prefix = `[${this.spec.name}]`;
    this.log(`[launcher] ${this.spec.name} started (pid ${child.pid})`);
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.log(`${prefix} ${line}`));
    }
    const startedAt = Date.now();
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        resolve();
        if (this.stopping) return;
        if (Date.now() - startedAt > 60_000) this.restarts = 0;
        const delay = Math.min(30_000, 1000 * 2 ** this.restarts++);
        this.log(`${prefix} exited (code ${code}, signal ${signal}); restarting in ${delay} ms`);
        setTimeout(() => {
          if (!this.stopping) this.start();
        }, delay);
      });
    });
  }

  async waitReady(timeoutMs: number): Promise<void> {
    if (!this.spec.readyUrl) return;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(this.spec.readyUrl)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${this.spec.name} not ready at ${this.spec.readyUrl} after ${timeoutMs} ms`);
  }

  /** Graceful stop (SIGTERM), SIGKILL after the grace period. */
  async stop(graceMs = 30_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
