import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartDef, dimension, hostInfo, samples } from '../../test/support/fixtures';
import { CaptureServer, freePort, until } from '../../test/support/sinks';
import { parseExportingConf } from '../config/exporting-conf.parser';
import { HostRegistry } from '../model/host.registry';
import { ExportConnector } from './export.connector';

function registry(): HostRegistry {
  const r = new HostRegistry(64);
  r.applyHost(hostInfo('g1', 'child1'));
  r.applyChart({ machineGuid: 'g1', chartIndex: 0, chart: chartDef({ id: 'system.load', dimensions: [dimension('load1'), dimension('load5')] }) });
  return r;
}

function connector(conf: string, r = registry()): ExportConnector {
  const s = parseExportingConf(conf).connectors[0];
  return new ExportConnector(s, r, 1000);
}

describe('export connector: delivery, buffering, failover', () => {
  const servers: CaptureServer[] = [];
  const connectors: ExportConnector[] = [];
  afterEach(async () => {
    await Promise.all(connectors.splice(0).map((c) => c.stop()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const server = (http = false) => {
    const s = new CaptureServer(http);
    servers.push(s);
    return s;
  };
  const make = (conf: string, r?: HostRegistry) => {
    const c = connector(conf, r);
    connectors.push(c);
    return c;
  };

  it('graphite over TCP: one write per batch, counted as sent', async () => {
    const s = server();
    const port = await s.listen();
    const r = registry();
    const c = make(`[graphite:g]\nenabled = yes\ndestination = 127.0.0.1:${port}\ndata source = as collected\n`, r);
    r.applySamples(samples('g1', [[0, 0, 1005, 3, 3], [0, 1, 1005, 4, 4]]));
    expect(c.produce(1009)).toBe(2);
    await until(() => s.data.length > 0);
    expect(s.data).toBe('netdata.child1.system.load.load1 3 1005\nnetdata.child1.system.load.load5 4 1005\n');
    await c.drained();
    expect(c.status()).toMatchObject({ sentPoints: 2, failedBatches: 0, bufferedPoints: 0, droppedPoints: 0, destination: `127.0.0.1:${port}` });
  });

  it('receiver down: batches kept up to `buffer on failures`, older ones dropped and counted; the rest arrives in order', async () => {
    const port = await freePort();
    const r = registry();
    const c = make(`[opentsdb:o]\nenabled = yes\ndestination = 127.0.0.1:${port}\ndata source = as collected\nbuffer on failures = 3\nupdate every = 1\n`, r);
    for (let t = 1; t <= 5; t++) {
      r.applySamples(samples('g1', [[0, 0, 1000 + t, t, t], [0, 1, 1000 + t, 10 * t, 10 * t]]));
      c.produce(1000 + t);
      await c.drained();
    }
    const st = c.status();
    expect(st.failedBatches).toBeGreaterThanOrEqual(1);
    expect(st.lastError).toMatch(/ECONNREFUSED/);
    expect(st.bufferedPoints).toBe(6);
    expect(st.droppedPoints).toBe(4);
    expect(st.sentPoints).toBe(0);
    const s = server();
    await s.listen(port);
    await until(() => c.status().sentPoints === 6, 8000, 'the backlog to drain');
    // A write callback only means the kernel took the bytes: wait for the receiver to read them.
    await until(() => s.data.split('\n').length === 7, 2000, 'the receiver to read the backlog');
    expect(s.data.split('\n').filter(Boolean)).toEqual([
      'put netdata.system.load.load1 1003 3 host=child1 ',
      'put netdata.system.load.load5 1003 30 host=child1 ',
      'put netdata.system.load.load1 1004 4 host=child1 ',
      'put netdata.system.load.load5 1004 40 host=child1 ',
      'put netdata.system.load.load1 1005 5 host=child1 ',
      'put netdata.system.load.load5 1005 50 host=child1 ',
    ]);
    expect(c.status()).toMatchObject({ bufferedPoints: 0, droppedPoints: 4 });
  }, 15000);

  it('destinations fail over in order', async () => {
    const dead = await freePort();
    const s = server();
    const port = await s.listen();
    const r = registry();
    const c = make(`[graphite:g]\nenabled = yes\ndestination = 127.0.0.1:${dead} 127.0.0.1:${port}\ndata source = as collected\n`, r);
    r.applySamples(samples('g1', [[0, 0, 1005, 1, 1]]));
    c.produce(1009);
    await until(() => s.data.length > 0);
    await c.drained();
    expect(c.status()).toMatchObject({ destination: `127.0.0.1:${port}`, sentPoints: 1, failedBatches: 0 });
    expect(c.reconnects).toBe(2);
  });

  it('HTTP error statuses are failures: the batch is kept and sent again', async () => {
    const s = server(true);
    s.statuses = [500];
    const port = await s.listen();
    const r = registry();
    const c = make(
      `[json:http:j]\nenabled = yes\ndestination = 127.0.0.1:${port}\ndata source = as collected\nusername = me\npassword = secret\nupdate every = 1\n`,
      r,
    );
    r.applySamples(samples('g1', [[0, 0, 1005, 1, 1]]));
    c.produce(1009);
    await c.drained();
    expect(c.status()).toMatchObject({ failedBatches: 1, sentPoints: 0, bufferedPoints: 1 });
    expect(c.status().lastError).toMatch(/HTTP 500 .*broken on purpose/);
    await until(() => c.status().sentPoints === 1, 5000, 'the retry');
    expect(s.requests).toHaveLength(2);
    expect(s.requests[0]).toBe(s.requests[1]);
    const body =
      '[\n{"prefix":"netdata","hostname":"child1","labels":{},"chart_id":"system.load","chart_name":"system.load","chart_family":"cpu",' +
      '"chart_context":"system.load","chart_type":"system","units":"percentage","id":"load1","name":"load1","value":1,"timestamp":1005}\n]\n';
    expect(s.requests[0]).toBe(
      `POST /api/put HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Basic bWU6c2VjcmV0\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n` + body,
    );
  });

  it('remote write request head as Netdata writes it', async () => {
    const s = server(true);
    const port = await s.listen();
    const r = registry();
    const c = make(`[prometheus_remote_write:p]\nenabled = yes\ndestination = 127.0.0.1:${port}\nremote write URL path = /api/v1/write\n`, r);
    r.applySamples(samples('g1', [[0, 0, 1005, 1, 1]]));
    c.produce(1009);
    await until(() => s.requests.length === 1);
    const head = s.requests[0].slice(0, s.requests[0].indexOf('\r\n\r\n'));
    expect(head.replace(/Content-Length: \d+/, 'Content-Length: N')).toBe(
      `POST /api/v1/write HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: */*\r\nContent-Encoding: snappy\r\n` +
        'Content-Type: application/x-protobuf\r\nX-Prometheus-Remote-Write-Version: 0.1.0\r\nContent-Length: N',
    );
  });

  it('graphite:http posts the plaintext body as application/graphite', async () => {
    const s = server(true);
    const port = await s.listen();
    const r = registry();
    const c = make(`[graphite:http:gh]\nenabled = yes\ndestination = 127.0.0.1:${port}\ndata source = as collected\n`, r);
    r.applySamples(samples('g1', [[0, 0, 1005, 2, 2]]));
    c.produce(1009);
    await until(() => s.requests.length === 1);
    const body = 'netdata.child1.system.load.load1 2 1005\n';
    expect(s.requests[0]).toBe(
      `POST /api/put HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/graphite\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
  });

  it('scheduling: due in the last second of each aligned update-every window', () => {
    const c = make('[graphite:g]\nenabled = yes\nupdate every = 10\n');
    expect([1000, 1005, 1008].map((t) => c.isDue(t))).toEqual([false, false, false]);
    expect(c.isDue(1009)).toBe(true);
  });

  it('https connectors speak TLS and verify the peer unless EXPORTING_TLS_SKIP_VERIFY=yes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exporter-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const bodies: string[] = [];
    const https = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      let b = '';
      req.on('data', (c: Buffer) => (b += c.toString()));
      req.on('end', () => {
        bodies.push(`${req.method} ${req.url} ${req.headers['content-type']} ${b}`);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    const port = (https.address() as { port: number }).port;
    try {
      const conf = `[opentsdb:https:t]\nenabled = yes\ndestination = 127.0.0.1:${port}\ndata source = as collected\nupdate every = 1\n`;
      const r = registry();
      r.applySamples(samples('g1', [[0, 0, 1005, 1, 1]]));
      const strict = make(conf, r);
      strict.produce(1009);
      await strict.drained();
      expect(strict.status()).toMatchObject({ failedBatches: 1, sentPoints: 0 });
      expect(strict.status().lastError).toMatch(/self.signed/i);
      await strict.stop();
      process.env['EXPORTING_TLS_SKIP_VERIFY'] = 'yes';
      const lax = make(conf, r);
      delete process.env['EXPORTING_TLS_SKIP_VERIFY'];
      lax.produce(1009);
      await lax.drained();
      expect(lax.status()).toMatchObject({ failedBatches: 0, sentPoints: 1 });
      await until(() => bodies.length === 1);
      expect(bodies[0]).toBe(
        'POST /api/put application/json [\n{"metric":"netdata.system.load.load1","timestamp":1005,"value":1,"tags":{"host":"child1"}}\n]\n',
      );
    } finally {
      https.closeAllConnections();
      https.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
