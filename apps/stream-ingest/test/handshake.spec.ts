import { randomUUID } from 'node:crypto';
import { FakeMetricStore } from './fake-metric-store';
import { API_KEY, Harness, startIngest } from './ingest.harness';
import { ScriptedChild } from './scripted-child';

const DISABLED_GUID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const OFF_KEY = '22222222-3333-4444-5555-666666666666';
const NOWHERE_KEY = '33333333-4444-5555-6666-777777777777';
const PARENT_GUID = '44444444-5555-4666-8777-888888888888';
const DENIED = 'You are not permitted to access this. Check the logs for more info.';

describe('handshake and authorisation (Netdata replies and log reasons)', () => {
  let store: FakeMetricStore;
  let h: Harness;

  beforeAll(async () => {
    store = new FakeMetricStore();
    const sp = await store.start();
    h = await startIngest({
      storePort: sp,
      streamConf: [
        `[${API_KEY}]`, '  enabled = yes', '  allow from = localhost',
        `[${OFF_KEY}]`, '  enabled = no',
        `[${NOWHERE_KEY}]`, '  enabled = yes', '  allow from = !localhost *',
        `[${DISABLED_GUID}]`, '  enabled = no',
      ].join('\n'),
      env: { TRIBUTARY_MACHINE_GUID: PARENT_GUID, INGEST_HANDSHAKE_TIMEOUT_MS: '1000' },
    });
  });
  afterAll(async () => {
    await h.stop();
    await store.stop();
  });

  async function refused(opts: Parameters<typeof ScriptedChild.connect>[1], reply: string, reason: RegExp, log: RegExp): Promise<void> {
    const c = await ScriptedChild.connect(h.port, opts);
    expect(c.reply).toBe(reply);
    await c.until(() => c.closed);
    await h.logs.waitFor(reason);
    await h.logs.waitFor(log);
    expect(store.hosts.has(opts.guid)).toBe(false);
  }

  it('accepts a valid child with the echoed capabilities, loopback seen as localhost', async () => {
    const guid = randomUUID();
    const c = await ScriptedChild.connect(h.port, { guid });
    expect(c.reply).toBe('Hit me baby, push them over with the version=16320');
    await h.logs.waitFor(new RegExp(`'\\[localhost\\]:\\d+' 'CONNECTED' host 'scripted'.*${guid}`));
    await h.logs.waitFor(/STREAM scripted \[receive from \[localhost\]:\d+\]: receiving metrics\.\.\./);
    c.close();
  });

  it.each([[5, '5'], [4, '4'], [1, '']])('legacy ver=%i gets the legacy reply', async (ver, suffix) => {
    const c = await ScriptedChild.connect(h.port, { guid: randomUUID(), ver });
    expect(c.reply).toBe(suffix ? `Hit me baby, push them over with the version=${suffix}` : 'Hit me baby, push them over...');
    c.close();
  });

  it('refuses a key that is not a GUID', () =>
    refused({ guid: randomUUID(), key: 'not-a-guid' }, DENIED, /ACCESS DENIED - INVALID KEY/, /API key 'not-a-guid' is not valid GUID .*Forbidding access\./));
  it('refuses a key that is not enabled', () =>
    refused({ guid: randomUUID(), key: OFF_KEY }, DENIED, /ACCESS DENIED - KEY NOT ENABLED/, new RegExp(`API key '${OFF_KEY}' is not allowed\\. Forbidding access\\.`)));
  it('refuses an unknown key', () =>
    refused({ guid: randomUUID(), key: randomUUID() }, DENIED, /ACCESS DENIED - KEY NOT ENABLED/, /is not allowed\. Forbidding access\./));
  it('refuses a key not permitted from this IP (allow from = !localhost *)', () =>
    refused({ guid: randomUUID(), key: NOWHERE_KEY }, DENIED, /ACCESS DENIED - KEY NOT ALLOWED FROM THIS IP/, /is not permitted from this IP\. Forbidding access\./));
  it('refuses a machine GUID that is not a GUID', () =>
    refused({ guid: 'zzz' }, DENIED, /ACCESS DENIED - INVALID MACHINE GUID/, /machine GUID 'zzz' is not GUID\. Forbidding access\./));
  it('refuses a disabled machine GUID', () =>
    refused({ guid: DISABLED_GUID }, DENIED, /ACCESS DENIED - MACHINE GUID NOT ENABLED/, new RegExp(`machine GUID '${DISABLED_GUID}' is not allowed\\. Forbidding access\\.`)));
  it('refuses my own GUID', () =>
    refused({ guid: PARENT_GUID }, "Don't hit me baby, you are trying to stream my localhost back", /DENIED - ATTEMPT TO RECEIVE METRICS FROM MACHINE_GUID IDENTICAL TO PARENT/, /is my own/));

  it('refuses a second connection of a GUID that is streaming', async () => {
    const guid = randomUUID();
    const first = await ScriptedChild.connect(h.port, { guid });
    expect(first.reply).toMatch(/^Hit me baby/);
    const second = await ScriptedChild.connect(h.port, { guid });
    expect(second.reply).toBe('This GUID is already streaming to this server');
    await h.logs.waitFor(/REJECTED - ALREADY CONNECTED/);
    first.close();
  });

  it('closes a connection whose handshake never completes', async () => {
    const { connect } = await import('node:net');
    const s = connect({ host: '127.0.0.1', port: h.port });
    await new Promise((r) => s.once('connect', r));
    s.write('STREAM key=');
    const closed = new Promise((r) => s.once('close', r));
    await closed;
    await h.logs.waitFor(/handshake not completed in time/);
  }, 20000);
});

describe('rate limit (accept a streaming request every seconds)', () => {
  it('refuses even the first request, then accepts one per period', async () => {
    const store = new FakeMetricStore();
    const sp = await store.start();
    const h = await startIngest({ storePort: sp, netdataConf: '[web]\n  accept a streaming request every seconds = 2\n' });
    try {
      const a = await ScriptedChild.connect(h.port, { guid: randomUUID() });
      expect(a.reply).toBe('The server is too busy now to accept this request. Try later.');
      await h.logs.waitFor(/too busy to accept new streaming request\. Will be allowed in 2 secs\./);
      await new Promise((r) => setTimeout(r, 2100));
      const b = await ScriptedChild.connect(h.port, { guid: randomUUID() });
      expect(b.reply).toMatch(/^Hit me baby/);
      const c = await ScriptedChild.connect(h.port, { guid: randomUUID() });
      expect(c.reply).toBe('The server is too busy now to accept this request. Try later.');
      b.close();
    } finally {
      await h.stop();
      await store.stop();
    }
  });
});
