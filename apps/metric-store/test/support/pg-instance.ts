import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@tributary/testing';

/** A private PostgreSQL the test can stop and restart (see pg-instance.mjs). */
export class PgInstance {
  private out = '';
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly dir: string,
  ) {
    child.stdout?.on('data', (b: Buffer) => (this.out += b.toString()));
  }

  static async start(): Promise<PgInstance> {
    const dir = mkdtempSync(join(tmpdir(), 'ms-pg-'));
    chmodSync(dir, 0o755); // initdb runs as the postgres user when we are root
    const port = await freePort();
    const child = spawn(process.execPath, [join(__dirname, 'pg-instance.mjs'), join(dir, 'data'), String(port)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const inst = new PgInstance(child, `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, dir);
    await inst.expect('started', 1);
    return inst;
  }

  private async expect(word: string, count: number, ms = 60000): Promise<void> {
    const until = Date.now() + ms;
    while (this.out.split('\n').filter((l) => l === word).length < count) {
      if (Date.now() > until || this.child.exitCode !== null) throw new Error(`postgres helper: no '${word}' (${this.out})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private count(word: string): number {
    return this.out.split('\n').filter((l) => l === word).length;
  }

  async stop(): Promise<void> {
    const n = this.count('stopped');
    this.child.stdin?.write('stop\n');
    await this.expect('stopped', n + 1);
  }

  async restart(): Promise<void> {
    const n = this.count('started');
    this.child.stdin?.write('start\n');
    await this.expect('started', n + 1);
  }

  async quit(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.stdin?.write('quit\n');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
