import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startNetdataChild, type NetdataAgent } from '@tributary/testing';
import { LAB, sleep, Stack } from './support/stack';

/**
 * Issue 3 acceptance: a real child with `destination = 127.0.0.1:PORT:SSL` and `ssl skip certificate verification =
 * yes` streams over TLS; a plain child is refused where the port is `^SSL=force`.
 */
const KEY = '7c7c7c7c-1111-4222-8333-444444444444';

jest.setTimeout(150000);

describe('TLS with real children on a ^SSL=force port', () => {
  let stack: Stack;
  const children: NetdataAgent[] = [];

  beforeAll(async () => {
    stack = await Stack.start(
      'ingest_tls',
      (port, dir) => {
        execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
          '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
        return `[web]\n    ssl key = ${join(dir, 'key.pem')}\n    ssl certificate = ${join(dir, 'cert.pem')}\n    bind to = 127.0.0.1:${port}=streaming|dashboard^SSL=force\n`;
      },
      `[${KEY}]\n    enabled = yes\n`,
    );
    const dest = `127.0.0.1:${stack.publicPort}`;
    children.push(
      ...(await Promise.all([
        startNetdataChild('si-tls', dest, KEY, { labDir: LAB, ssl: true }),
        startNetdataChild('si-notls', dest, KEY, { labDir: LAB }),
      ])),
    );
    await sleep(15000);
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop(true).catch(() => undefined)));
    await stack?.stop();
  });

  it('the TLS child streams and its charts are stored', async () => {
    const st = await stack.status();
    const c = st.children.find((x) => x.hostname === 'si-tls');
    expect(c?.tls).toBe(true);
    expect(c?.samplesTotal).toBeGreaterThan(100);
    const charts = await stack.listCharts(children[0].guid);
    expect(charts.charts.length).toBeGreaterThan(50);
  });

  it('the plain child is refused with the force-mode log line and stores nothing', async () => {
    expect(stack.ingestApp.output()).toMatch(/The server is configured to always use encrypted connections, please enable the SSL on child with hostname 'si-notls'\./);
    const hosts = (await stack.listHosts()).hosts.map((h) => h.info?.hostname);
    expect(hosts).toContain('si-tls');
    expect(hosts).not.toContain('si-notls');
    expect(children[1].errorLog()).toMatch(/remote node response is not understood, is it Netdata\?/);
  });
});
