// Proxy mode against a scripted next parent on a real socket: what it receives is checked line by line. The same
// path against a real Netdata 1.37 parent is in proxy.int-spec.ts.
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Lz4FrameDecoder, serializeChart, serializeDimension } from '@tributary/protocol';
import { FakeMetricStore } from './fake-metric-store';
import { API_KEY, Harness, startIngest } from './ingest.harness';
import { ScriptedChild, until } from './scripted-child';

const NEXT_KEY = '99999999-8888-7777-6666-555555555555';

/** A next parent that accepts one STREAM request per connection and records what follows. */
class NextParent {
  requests: string[] = [];
  streams: string[] = [];
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  port = 0;

  last: Socket | undefined;

  /**
   * compressed: the reply grants LZ4 (and BINARY) and what follows is decoded as a 1.37 parent decodes it;
   * replication: the reply grants REPLICATION.
   */
  constructor(
    private readonly compressed = false,
    private readonly replication = false,
    /** answer every STREAM request with this instead (a refusal, garbage) and close */
    private readonly refusal?: string,
  ) {}

  async listen(port = 0): Promise<void> {
    this.server = createServer((s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
      let head = '';
      let k = -1;
      const decoder = this.compressed ? new Lz4FrameDecoder() : undefined;
      s.on('data', (b: Buffer) => {
        if (k < 0) {
          head += b.toString('latin1');
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) return;
          this.requests.push(head.slice(0, end));
          k = this.streams.push('') - 1;
          this.last = s;
          if (this.refusal !== undefined) {
            s.end(this.refusal);
            return;
          }
          s.write(`Hit me baby, push them over with the version=${960 | (this.compressed ? 1024 | 8192 : 0) | (this.replication ? 4096 : 0)}`);
          return;
        }
        if (decoder) decoder.feed(b, (block) => (this.streams[k] += block.toString('latin1')));
        else this.streams[k] += b.toString('latin1');
      });
    });
    await new Promise<void>((r) => this.server?.listen(port, '127.0.0.1', () => r()));
    const a = this.server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  get all(): string {
    return this.streams.join('');
  }
}

function define(chart: string, dims: [string, string][]): string {
  let s = serializeChart({ id: chart, title: 't', units: 'u', family: 'f', context: chart, chartType: 'line', priority: 1, updateEvery: 1 });
  for (const [id, alg] of dims) s += serializeDimension({ id, algorithm: alg, multiplier: 1, divisor: 1 });
  return s;
}

function block(chart: string, sets: [string, number][]): string {
  return `BEGIN "${chart}" 1000000\n${sets.map(([d, v]) => `SET "${d}" = ${v}\n`).join('')}END\n`;
}

describe('proxy mode: this parent streams its children on to the next parent', () => {
  let store: FakeMetricStore;
  let next: NextParent;
  let h: Harness;

  beforeAll(async () => {
    store = new FakeMetricStore();
    next = new NextParent();
    await next.listen();
    const streamConf =
      `[stream]\n  reconnect delay seconds = 1\n` +
      `[${API_KEY}]\n  enabled = yes\n  allow from = *\n  default proxy enabled = yes\n` +
      `  default proxy destination = 127.0.0.1:1 127.0.0.1:${next.port}\n  default proxy api key = ${NEXT_KEY}\n` +
      `  default proxy send charts matching = !*.secret sys.* app.*\n`;
    h = await startIngest({ storePort: await store.start(), streamConf });
  });
  afterAll(async () => {
    await h.stop();
    await next.stop();
    await store.stop();
  });

  it('introduces the child with its identity, hops + 1 and the proxy key, then forwards definitions, labels and raw collections', async () => {
    const guid = randomUUID();
    const c = await ScriptedChild.connect(h.port, { guid, hostname: 'leaf', compress: false, extra: [['hops', '1'], ['NETDATA_SYSTEM_OS_NAME', 'Debian']] });
    // the first destination refuses connections: the proxy moves on to the next one
    await until(() => next.requests.length === 1, 15000, 'the proxy to reach the next parent');
    const req = next.requests[0];
    expect(req).toMatch(/^STREAM key=99999999-8888-7777-6666-555555555555&hostname=leaf&registry_hostname=leaf&machine_guid=/);
    expect(req).toContain(`machine_guid=${guid}`);
    expect(req).toContain('&hops=2&');
    // compression (with BINARY) offered as [stream] enable compression = yes, replication as [db] enable replication = yes
    expect(req).toContain(`&ver=${1016 | 1024 | 8192 | 4096}&`);
    await h.logs.waitFor(/STREAM leaf \[send to 127\.0\.0\.1:\d+\]: established link with negotiated capabilities: VCAPS HLABELS CLAIM CLABELS,/);
    expect(req).toContain('NETDATA_SYSTEM_OS_NAME=Debian');
    expect(req).toMatch(/NETDATA_PROTOCOL_VERSION=1\.1 HTTP\/1\.1\r\nUser-Agent: netdata\/v1\.37\.1\r\nAccept: \*\/\*$/);
    await h.logs.waitFor(/STREAM leaf \[send to 127\.0\.0\.1:\d+\]: established link/);

    c.send('LABEL "_os" = 1 "linux"\nLABEL "room" = 2 "lab"\nOVERWRITE labels\n');
    c.send(define('sys.cpu', [['user', 'incremental'], ['system', 'incremental']]) + 'CLABEL "cpu" "all" 1\nCLABEL_COMMIT\n');
    c.send(define('other.chart', [['x', 'absolute']]) + define('sys.secret', [['y', 'absolute']]));
    c.send(block('sys.cpu', [['user', 1000], ['system', 500]]) + block('other.chart', [['x', 7]]) + block('sys.secret', [['y', 1]]));
    c.send(block('sys.cpu', [['user', 1100], ['system', 550]]));
    c.send('VARIABLE HOST my_var = 42\n');
    await until(() => next.all.includes('my_var'), 10000, 'the variable to arrive');
    const lines = next.streams[0].split('\n');
    expect(lines).toEqual([
      'LABEL "_os" = 1 "linux"',
      'LABEL "room" = 2 "lab"',
      'OVERWRITE labels',
      'CHART "sys.cpu" "" "t" "u" "f" "sys.cpu" "line" 1 1 "   " "" ""',
      'DIMENSION "user" "user" "incremental" 1 1 "  "',
      'DIMENSION "system" "system" "incremental" 1 1 "  "',
      'CLABEL "cpu" "all" 1',
      'CLABEL_COMMIT',
      'BEGIN "sys.cpu" 1000000',
      'SET "user" = 1000',
      'SET "system" = 500',
      'END',
      'BEGIN "sys.cpu" 1000000',
      'SET "user" = 1100',
      'SET "system" = 550',
      'END',
      'VARIABLE HOST my_var = 42.0000000',
      '',
    ]);
    c.close();
  }, 30000);

  it('on a reconnect, replays the host and chart definitions before live data; a refusal is retried', async () => {
    const guid = randomUUID();
    const c = await ScriptedChild.connect(h.port, { guid, hostname: 'leaf2', compress: false });
    await until(() => next.requests.some((r) => r.includes(guid)), 15000, 'the first connection');
    c.send('LABEL "room" = 2 "lab"\nOVERWRITE labels\n' + define('app.req', [['ok', 'incremental']]));
    c.send(block('app.req', [['ok', 10]]));
    await until(() => next.all.includes('SET "ok" = 10'), 10000, 'the first collection');
    const before = next.requests.length;
    // the next parent goes away and comes back on the same port
    const port = next.port;
    await next.stop();
    next = new NextParent();
    await next.listen(port);
    c.send(block('app.req', [['ok', 20]])); // while disconnected: not forwarded (no replication upstream)
    await until(() => next.requests.some((r) => r.includes(guid)), 15000, 'the reconnect');
    expect(before).toBeGreaterThan(0);
    await until(() => next.all.includes('DIMENSION "ok"'), 5000, 'definitions replayed');
    c.send(block('app.req', [['ok', 30]]));
    await until(() => next.all.includes('SET "ok" = 30'), 10000, 'live data after the reconnect');
    const s = next.streams.find((x) => x.includes('app.req')) as string;
    expect(s.indexOf('LABEL "room" = 2 "lab"')).toBeLessThan(s.indexOf('CHART "app.req"'));
    expect(s.indexOf('DIMENSION "ok"')).toBeLessThan(s.indexOf('BEGIN "app.req"'));
    expect(s).not.toContain('SET "ok" = 20');
    c.close();
  }, 40000);

  it('compresses the link with LZ4 when the next parent grants it, and the stream decodes as a 1.37 parent decodes it', async () => {
    const port = next.port;
    await next.stop();
    next = new NextParent(true);
    await next.listen(port);
    const guid = randomUUID();
    const c = await ScriptedChild.connect(h.port, { guid, hostname: 'leaf3', compress: false });
    await h.logs.waitFor(/STREAM leaf3 \[send to 127\.0\.0\.1:\d+\]: established link with negotiated capabilities: VCAPS HLABELS CLAIM CLABELS COMPRESSION BINARY,/);
    // big enough to need several LZ4 blocks, cut in the middle of lines
    const dims: [string, string][] = Array.from({ length: 400 }, (_, i) => [`dimension_with_a_long_name_${i}`, 'absolute']);
    c.send(define('app.wide', dims));
    for (let k = 0; k < 5; k++) c.send(block('app.wide', dims.map(([d], i) => [d, 1000 * k + i])));
    await until(() => next.all.includes('SET "dimension_with_a_long_name_399" = 4399'), 10000, 'the compressed stream');
    const s = next.streams.find((x) => x.includes('app.wide')) as string;
    expect(s.split('\n').filter((l) => l.startsWith('DIMENSION '))).toHaveLength(400);
    expect(s.split('\n').filter((l) => l === 'END')).toHaveLength(5);
    c.close();
  }, 30000);

  it('with REPLICATION: ends each chart with CHART_DEFINITION_END, answers REPLAY_CHART, holds live data until then', async () => {
    const port = next.port;
    await next.stop();
    next = new NextParent(false, true);
    await next.listen(port);
    const guid = randomUUID();
    const c = await ScriptedChild.connect(h.port, { guid, hostname: 'leaf4', compress: false });
    await h.logs.waitFor(/STREAM leaf4 \[send to 127\.0\.0\.1:\d+\]: established link with negotiated capabilities: VCAPS HLABELS CLAIM CLABELS REPLICATION,/);
    await h.logs.waitFor(/STREAM leaf4 \[send to 127\.0\.0\.1:\d+\]: definitions sent, 0 charts offered for replication/);
    c.send(define('app.rep', [['a', 'incremental']]));
    c.send(block('app.rep', [['a', 100]]) + block('app.rep', [['a', 200]]));
    await until(() => next.all.includes('SET "a" = 200'), 10000, 'live data of a chart defined while connected');
    // the link is renewed: now every chart ends with CHART_DEFINITION_END and waits for its replication
    next.last?.destroy();
    await until(() => next.all.includes('CHART_DEFINITION_END'), 15000, 'the definitions with CHART_DEFINITION_END');
    const k = next.streams.length - 1;
    expect(next.streams[k]).toMatch(/^CHART "app\.rep" .*\nDIMENSION "a" .*\nCLABEL_COMMIT\nCHART_DEFINITION_END \d+ \d+ \d+\n$/);
    c.send(block('app.rep', [['a', 300]]));
    await new Promise((r) => setTimeout(r, 300));
    expect(next.streams[k]).not.toContain('BEGIN "app.rep"'); // held: the chart is replicating
    next.last?.write('REPLAY_CHART "app.rep" "true" 0 0\n');
    await until(() => next.streams[k].includes('REND '), 10000, 'the replication answer');
    c.send(block('app.rep', [['a', 400]]));
    await until(() => next.streams[k].includes('SET "a" = 400'), 10000, 'live data after the replication');
    const lines = next.streams[k].split('\n');
    const rbegin = lines.indexOf('RBEGIN "app.rep"');
    const rend = lines.findIndex((l) => l.startsWith('REND '));
    expect(rbegin).toBeGreaterThan(0);
    expect(lines[rbegin + 1]).toMatch(/^RDSTATE "a" \d+ 300 /);
    expect(lines[rbegin + 2]).toMatch(/^RSSTATE \d+ \d+$/);
    expect(lines[rend]).toMatch(/^REND 1 \d+ \d+ true 0 0 \d+$/);
    expect(lines.slice(rend + 1).join('\n')).toMatch(/^BEGIN "app\.rep" 1000000\nSET "a" = 400\nEND/);
    expect(next.streams[k]).not.toContain('SET "a" = 300');
    c.close();
  }, 40000);

  it('a next parent that refuses or answers garbage: logged and retried, the child keeps streaming into this parent', async () => {
    const port = next.port;
    await next.stop();
    next = new NextParent(false, false, 'You are not permitted to access this. Check the logs for more info.');
    await next.listen(port);
    const guid = randomUUID();
    const stored = () => store.pointsOf(guid, 'app.keep').length;
    const c = await ScriptedChild.connect(h.port, { guid, hostname: 'leaf5', compress: false });
    await h.logs.waitFor(/STREAM leaf5 \[send to 127\.0\.0\.1:\d+\]: remote node response is not understood or refused: 'You are not permitted to access this/);
    c.send(define('app.keep', [['v', 'absolute']]));
    for (let k = 0; k < 4; k++) c.send(block('app.keep', [['v', k]]));
    await until(() => stored() >= 2, 10000, 'the child\'s points in this parent\'s store');
    // garbage instead of a handshake reply: the same, on the next attempt
    await next.stop();
    next = new NextParent(false, false, 'HTTP/1.1 400 Bad Request\r\n\r\nI don\'t understand you...');
    await next.listen(port);
    await h.logs.waitFor(/STREAM leaf5 \[send to 127\.0\.0\.1:\d+\]: remote node response is not understood or refused: 'HTTP\/1\.1 400/, 15000);
    expect(next.requests.length).toBeGreaterThanOrEqual(1);
    expect(c.closed).toBe(false);
    c.send(block('app.keep', [['v', 9]]));
    const n = stored();
    await until(() => stored() > n, 10000, 'points still stored after the refusals');
    c.close();
  }, 40000);
});
