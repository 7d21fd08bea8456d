import { Logger, LoggerService } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngestRuntime } from '../src/ingest.runtime';
import { loadIngestSettings } from '../src/settings/ingest.settings';

export const API_KEY = '11111111-2222-3333-4444-555555555555';

export class LogCapture implements LoggerService {
  readonly lines: string[] = [];
  private waiters: (() => void)[] = [];
  constructor(private readonly echo = process.env['INGEST_TEST_ECHO'] === '1') {}
  private push(level: string, m: unknown): void {
    const line = `${level} ${String(m)}`;
    this.lines.push(line);
    if (this.echo) process.stdout.write(line + '\n');
    for (const w of this.waiters) w();
  }
  log(m: unknown): void { this.push('LOG', m); }
  error(m: unknown): void { this.push('ERROR', m); }
  warn(m: unknown): void { this.push('WARN', m); }
  debug(): void { /* quiet */ }
  verbose(): void { /* quiet */ }
  has(re: RegExp): boolean {
    return this.lines.some((l) => re.test(l));
  }
  waitFor(re: RegExp, ms = 20000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.lines.find((l) => re.test(l));
        if (hit) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve(hit);
        }
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`log line ${re} not seen in ${ms} ms; last lines:\n${this.lines.slice(-15).join('\n')}`));
      }, ms);
      this.waiters.push(check);
      check();
    });
  }
}

export interface Harness {
  runtime: IngestRuntime;
  port: number;
  logs: LogCapture;
  dir: string;
  stop(): Promise<void>;
}

/** stream-ingest in this process with its own config dir, on free ports. */
export async function startIngest(opts: {
  storePort: number;
  netdataConf?: string;
  streamConf?: string;
  env?: Record<string, string>;
}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'stream-ingest-test-'));
  writeFileSync(join(dir, 'netdata.conf'), opts.netdataConf ?? '[web]\n  bind to = 127.0.0.1\n');
  writeFileSync(join(dir, 'stream.conf'), opts.streamConf ?? `[${API_KEY}]\n  enabled = yes\n  allow from = *\n`);
  const logs = new LogCapture();
  Logger.overrideLogger(logs);
  const settings = loadIngestSettings({
    TRIBUTARY_CONFIG_DIR: dir,
    TRIBUTARY_DATA_DIR: dir,
    TRIBUTARY_PORT: '0',
    GRPC_LISTEN: '127.0.0.1:0',
    METRIC_STORE_ADDR: `127.0.0.1:${opts.storePort}`,
    WEB_API_URL: 'http://127.0.0.1:1',
    INGEST_BATCH_MS: '100',
    ...opts.env,
  });
  const runtime = new IngestRuntime(settings);
  await runtime.start();
  return {
    runtime,
    port: runtime.listener.port,
    logs,
    dir,
    stop: async () => {
      await runtime.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
