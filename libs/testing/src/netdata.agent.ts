import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sharedDir } from './workspace';

const run = promisify(execFile);

export interface NetdataAgentOptions {
  compression?: boolean;
  guid?: string;
  updateEvery?: number;
  webPort?: number;
  ssl?: boolean;
  db?: 'dbengine' | 'ram' | 'alloc' | 'none';
  timeout?: number;
  reconnect?: number;
  /** ND_LAB_DIR for this agent (one sub-dir per instance). */
  labDir?: string;
}

export interface NetdataAgent {
  readonly name: string;
  readonly guid: string;
  readonly pid: number;
  readonly dir: string;
  readonly webPort?: number;
  errorLog(): string;
  /** Clean stop (SIGTERM through stop-child.sh). */
  stop(purge?: boolean): Promise<void>;
  /** SIGKILL to netdata, then its plugins are cleaned up. The kernel still closes its socket (a FIN, as a stop). */
  kill9(): Promise<void>;
  /**
   * SIGSTOP: the agent stops sending but its TCP connection stays open, as when its machine loses power or its
   * network. stop() and kill9() resume it first.
   */
  freeze(): void;
}

function toolsDir(): string {
  const dir = join(sharedDir(), 'tools', 'netdata-child');
  if (!existsSync(join(dir, 'start-child.sh'))) throw new Error(`netdata lab tools not found in ${dir}`);
  if (!existsSync('/usr/sbin/netdata')) throw new Error('netdata is not installed (run tools/scripts/install-system-deps.sh)');
  return dir;
}

function parseStarted(stdout: string): { pid: number; guid: string; dir: string } {
  const line = stdout.trim().split('\n').pop() ?? '';
  const kv = Object.fromEntries(line.split(' ').map((p) => p.split('=', 2) as [string, string]));
  const pid = Number(kv['pid']);
  if (!pid || !kv['dir']) throw new Error(`unexpected start output: ${stdout}`);
  return { pid, guid: kv['guid'] ?? '', dir: kv['dir'] };
}

function agent(name: string, started: { pid: number; guid: string; dir: string }, env: NodeJS.ProcessEnv, webPort?: number): NetdataAgent {
  const tools = toolsDir();
  return {
    name,
    guid: started.guid,
    pid: started.pid,
    dir: started.dir,
    webPort,
    errorLog: () => {
      const f = join(started.dir, 'log', 'error.log');
      return existsSync(f) ? readFileSync(f, 'utf8') : '';
    },
    async stop(purge = false) {
      signal(started.pid, 'SIGCONT');
      await run(join(tools, 'stop-child.sh'), purge ? [name, '--purge'] : [name], { env });
    },
    async kill9() {
      signal(started.pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      await run(join(tools, 'stop-child.sh'), [name], { env }).catch(() => undefined);
    },
    freeze() {
      signal(started.pid, 'SIGSTOP');
    },
  };
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function labEnv(labDir?: string): NodeJS.ProcessEnv {
  return { ...process.env, ND_LAB_DIR: labDir ?? process.env['ND_LAB_DIR'] ?? '/tmp/netdata-lab-tributary' };
}

/**
 * Stops and removes every agent a previous, interrupted run left in `labDir`: a child keeps its database there, and
 * would replicate that old history into the next test.
 */
export async function resetNetdataLab(labDir: string): Promise<void> {
  await run(join(toolsDir(), 'stop-child.sh'), ['--all', '--purge'], { env: labEnv(labDir) }).catch(() => undefined);
}

/** A real Netdata 1.37 child streaming to `dest` (HOST:PORT) with `apiKey`. */
export async function startNetdataChild(name: string, dest: string, apiKey: string, opts: NetdataAgentOptions = {}): Promise<NetdataAgent> {
  const args = [name, dest, apiKey];
  if (opts.compression === false) args.push('--no-compression');
  if (opts.guid) args.push('--guid', opts.guid);
  if (opts.updateEvery) args.push('--update-every', String(opts.updateEvery));
  if (opts.webPort) args.push('--web-port', String(opts.webPort));
  if (opts.db) args.push('--db', opts.db);
  if (opts.timeout !== undefined) args.push('--timeout', String(opts.timeout));
  if (opts.reconnect !== undefined) args.push('--reconnect', String(opts.reconnect));
  if (opts.ssl) args.push('--ssl');
  const env = labEnv(opts.labDir);
  const { stdout } = await run(join(toolsDir(), 'start-child.sh'), args, { env });
  return agent(name, parseStarted(stdout), env, opts.webPort);
}

export interface NetdataParentOptions {
  compression?: boolean;
  db?: 'dbengine' | 'ram';
  guid?: string;
  ssl?: 'force' | 'optional';
  labDir?: string;
}

/** A real Netdata 1.37 parent (the reference peer) on 127.0.0.1:port accepting apiKey. */
export async function startNetdataParent(name: string, port: number, apiKey: string, opts: NetdataParentOptions = {}): Promise<NetdataAgent> {
  const args = [name, String(port), apiKey];
  if (opts.compression === false) args.push('--no-compression');
  if (opts.db) args.push('--db', opts.db);
  if (opts.guid) args.push('--guid', opts.guid);
  if (opts.ssl) args.push('--ssl', opts.ssl);
  const env = labEnv(opts.labDir);
  const { stdout } = await run(join(toolsDir(), 'start-parent.sh'), args, { env });
  return agent(name, parseStarted(stdout), env, port);
}
