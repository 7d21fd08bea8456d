import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/** Starts embedded-postgres.main in its own process group (a terminal's Ctrl-C must not reach it first). */
export function startPostgresProcess(dataDir: string, log: (line: string) => void): Promise<RunningPostgres> {
  const child = spawn(process.execPath, [join(__dirname, 'embedded-postgres.main.js'), dataDir], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  if (child.stderr) createInterface({ input: child.stderr }).on('line', (l) => log(l));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited with code ${code} before it was ready`)));
    if (!child.stdout) return reject(new Error('no stdout from the PostgreSQL process'));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      resolve({
        url: line.slice('READY '.length),
        async stop() {
          if (child.exitCode !== null) return;
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
