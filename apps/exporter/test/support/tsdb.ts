import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { sharedDir } from '@tributary/testing';

/** A TSDB from ../shared/tools/tsdb, started on free ports; stop() is by its recorded pid (the kit's stop script). */
export interface Tsdb {
  vars: Record<string, string>;
  stop(keepData?: boolean): void;
}

function tool(name: string): string {
  return join(sharedDir(), 'tools', 'tsdb', name);
}

function parse(out: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) vars[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return vars;
}

/** Starts VictoriaMetrics; `reuse` restarts one kept with stop(true) on the same ports and data. */
export function startVictoria(reuse?: Record<string, string>): Tsdb {
  const env: NodeJS.ProcessEnv = { ...process.env, AUTO_PORTS: '1' };
  if (reuse) {
    for (const k of ['VM_WORKDIR', 'VM_HTTP_PORT', 'VM_GRAPHITE_PORT', 'VM_OPENTSDB_PORT', 'VM_OPENTSDB_HTTP_PORT', 'VM_INFLUX_PORT']) {
      env[k] = reuse[k];
    }
  }
  // Fails (throws) when victoria-metrics is not installed: these tests must not skip silently.
  const vars = parse(execFileSync(tool('start-victoria.sh'), { env, encoding: 'utf8' }));
  return {
    vars,
    stop: (keepData = false) => {
      execFileSync(tool('stop-victoria.sh'), [vars['VM_WORKDIR']], { env: { ...process.env, KEEP_DATA: keepData ? '1' : '' }, stdio: 'ignore' });
    },
  };
}

export function startPrometheus(scrapeUrls: string[]): Tsdb {
  const vars = parse(execFileSync(tool('start-prometheus.sh'), scrapeUrls, { env: { ...process.env, AUTO_PORTS: '1' }, encoding: 'utf8' }));
  return {
    vars,
    stop: () => {
      execFileSync(tool('stop-prometheus.sh'), [vars['PROM_WORKDIR']], { stdio: 'ignore' });
    },
  };
}

export interface VmSeries {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

/** Every raw sample of the series matching a selector (force_flush first: VM hides new series for ~10 s). */
export async function vmExport(httpPort: string, selector: string): Promise<VmSeries[]> {
  const base = `http://127.0.0.1:${httpPort}`;
  await fetch(`${base}/internal/force_flush`);
  const r = await fetch(`${base}/api/v1/export`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ 'match[]': selector }).toString(),
  });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`VM export ${r.status}: ${text}`);
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as VmSeries);
}

export async function promQuery(url: string, query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const r = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query })}`);
  const j = (await r.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  return j.data.result;
}
