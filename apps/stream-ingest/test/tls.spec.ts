import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeMetricStore } from './fake-metric-store';
import { startIngest } from './ingest.harness';
import { ScriptedChild } from './scripted-child';

function selfSigned(): { dir: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { dir, key, cert };
}

describe.each(['force', 'optional'])('TLS and plain on one port (^SSL=%s)', (mode) => {
  const tls = selfSigned();
  afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

  it('streams over TLS; a plain child is refused only under force', async () => {
    const store = new FakeMetricStore();
    const h = await startIngest({
      storePort: await store.start(),
      netdataConf: `[web]\n  ssl key = ${tls.key}\n  ssl certificate = ${tls.cert}\n  bind to = 127.0.0.1=streaming|dashboard^SSL=${mode}\n`,
    });
    try {
      const secure = await ScriptedChild.connect(h.port, { guid: randomUUID(), tls: true });
      expect(secure.reply).toBe('Hit me baby, push them over with the version=16320');
      const snap = h.runtime.tracker.snapshot();
      expect(snap.children.find((c) => c.machineGuid && c.tls)).toBeDefined();
      secure.close();

      const plain = await ScriptedChild.connect(h.port, { guid: randomUUID(), hostname: 'plainchild' });
      if (mode === 'force') {
        expect(plain.reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*I don't understand you\.\.\./);
        await h.logs.waitFor(/The server is configured to always use encrypted connections, please enable the SSL on child with hostname 'plainchild'\./);
        const res = await fetch(`http://127.0.0.1:${h.port}/api/v1/info`, { redirect: 'manual' });
        expect(res.status).toBe(301);
        expect(res.headers.get('location')).toBe(`https://127.0.0.1:${h.port}/api/v1/info`);
      } else {
        expect(plain.reply).toBe('Hit me baby, push them over with the version=16320');
      }
      plain.close();
    } finally {
      await h.stop();
      await store.stop();
    }
  });
});
