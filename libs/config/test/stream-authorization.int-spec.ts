import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, NetdataAgent, sharedDir, startNetdataParent } from '@tributary/testing';
import { authorizeStream, loadTributaryConfig, resolveStreamSettings, TributaryConfig } from '../src/index';
import { configDir, removeConfigDirs } from './config-dir';

// Differential test: one real Netdata 1.37 parent configured with a stream.conf full of cases; for each case we send
// the STREAM request a real child sends and compare the parent's decision (and whether it kept LZ4 compression on)
// with what resolveStreamSettings + authorizeStream say for the same files.

const LAB = `/tmp/netdata-lab-config-${process.pid}`;
const BOOT_KEY = '00000000-1111-4222-8333-444444444444';
const K = (n: number): string => `11111111-2222-4333-8444-${String(n).padStart(12, '0')}`;
const M = (n: number): string => `aaaaaaaa-bbbb-4ccc-8ddd-${String(n).padStart(12, '0')}`;

const streamConf = (globalCompression: string): string => `
[stream]
    enabled = no
    enable compression = ${globalCompression}
[${K(1)}]
    enabled = yes
[${K(2)}]
    enabled = no
[${K(4)}]
    type = machine
    enabled = yes
[${K(5)}]
    enabled = yes
    allow from = !localhost *
[${K(6)}]
    enabled = yes
    allow from = !127.* *
[${K(7)}]
    enabled = yes
    enable compression = no
[${K(8)}]
    enabled = yes
[${M(8)}]
    enabled = no
[${K(9)}]
    enabled = yes
[${M(9)}]
    allow from = 10.*
[${K(10)}]
    enabled = yes
[${M(10)}]
    type = api
[${K(11)}]
    enabled = yes
[${M(11)}]
    enable compression = no
[${K(12)}]
    enabled = yes
    enable compression = no
[${M(12)}]
    enable compression = yes
[${K(13)}]
    enabled = on demand
[${K(15)}]
    enabled = yes
    allow from =
[${K(16).toUpperCase().replace(/^11111111/, 'ABCDEF11')}]
    enabled = yes
[${K(17)}]
    enabled = yes
    allow from = localhost
[${M(17)}]
    allow from = !local* *
[${K(19)}]
    enabled = yes
    enable compression = yes
[${K(20)}]
    ENABLED = yes
[${K(21)}]
    enabled = YES
[${K(22)}]
enabled=yes
[${K(23)}]
    enabled = no
    enabled = yes
[${K(24)}]
    enabled = yes
[${K(1)}]
    # a repeated section header continues the section
[${K(24)}]
    allow from = !localhost *
[ ${K(25)} ]
    enabled = yes
[${K(26)}]
    enabled = yes
    allow from = !localhost # an inline comment is part of the value
`;

interface Case {
  readonly name: string;
  readonly key: string;
  readonly guid: string;
}

const CASES: Case[] = [
  { name: 'enabled key', key: K(1), guid: M(1) },
  { name: 'disabled key', key: K(2), guid: M(2) },
  { name: 'absent key section', key: K(3), guid: M(3) },
  { name: 'key section typed machine', key: K(4), guid: M(4) },
  { name: 'key allow from !localhost', key: K(5), guid: M(5) },
  { name: 'key allow from !127.* (loopback is localhost)', key: K(6), guid: M(6) },
  { name: 'key disables compression', key: K(7), guid: M(7) },
  { name: 'machine disabled', key: K(8), guid: M(8) },
  { name: 'machine allow from 10.*', key: K(9), guid: M(9) },
  { name: 'machine section typed api', key: K(10), guid: M(10) },
  { name: 'machine disables compression', key: K(11), guid: M(11) },
  { name: 'key off, machine on: compression AND rule', key: K(12), guid: M(12) },
  { name: 'enabled = on demand is true', key: K(13), guid: M(13) },
  { name: 'empty allow from allows all', key: K(15), guid: M(15) },
  { name: 'section names are case-sensitive', key: K(16).replace(/^11111111/, 'abcdef11'), guid: M(16) },
  { name: 'machine allow from negative', key: K(17), guid: M(17) },
  { name: 'key is not a GUID', key: 'not-a-guid', guid: M(18) },
  { name: 'machine GUID is not a GUID', key: K(1), guid: 'not-a-guid' },
  { name: 'key enables compression', key: K(19), guid: M(19) },
  { name: 'option names are case-sensitive', key: K(20), guid: M(20) },
  { name: 'boolean values are not', key: K(21), guid: M(21) },
  { name: 'no spaces around =', key: K(22), guid: M(22) },
  { name: 'the last of a repeated option wins', key: K(23), guid: M(23) },
  { name: 'a repeated section merges', key: K(24), guid: M(24) },
  { name: 'spaces inside the section brackets', key: K(25), guid: M(25) },
  { name: 'no inline comments', key: K(26), guid: M(26) },
];

/** Sends a real child's handshake and returns the parent's raw reply (it answers in one write, then waits). */
function handshake(port: number, c: Case, index: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let reply = '';
    const done = (): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(reply);
    };
    const timer = setTimeout(done, 5000);
    sock.on('connect', () => {
      sock.write(
        `STREAM key=${c.key}&hostname=case${index}&registry_hostname=case${index}&machine_guid=${c.guid}` +
          `&update_every=1&os=linux&hops=1&ver=16376&NETDATA_PROTOCOL_VERSION=1.1 HTTP/1.1\r\n` +
          'User-Agent: netdata/v1.37.1\r\nAccept: */*\r\n\r\n',
      );
    });
    sock.on('data', (d) => {
      reply += d.toString('latin1');
      // Accepted replies are followed by silence (the parent waits for the stream); denials by a close.
      if (reply.startsWith('Hit me baby') || reply.startsWith('You are')) setTimeout(done, 100);
    });
    sock.on('close', done);
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1');
      s.on('connect', () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`netdata parent did not listen on ${port}`);
}

describe.each(['yes', 'no'])('stream authorization agrees with a real Netdata 1.37 parent ([stream] enable compression = %s)', (globalCompression) => {
  let parent: NetdataAgent | undefined;
  let port = 0;
  let config: TributaryConfig;

  beforeAll(async () => {
    port = await freePort();
    parent = await startNetdataParent(`cfgauth${globalCompression}`, port, BOOT_KEY, { labDir: LAB, db: 'ram' });
    // The lab script writes its own stream.conf; replace it with the cases and start the same instance again.
    await parent.stop();
    writeFileSync(join(parent.dir, 'etc', 'stream.conf'), streamConf(globalCompression));
    const tools = join(sharedDir(), 'tools', 'netdata-child');
    execFileSync('bash', ['-c', `. "${tools}/common.sh" && nd_launch "$1" >/dev/null`, 'launch', parent.dir], {
      env: { ...process.env, ND_LAB_DIR: LAB },
    });
    await waitForPort(port);

    const netdataConf = readFileSync(join(parent.dir, 'etc', 'netdata.conf'), 'utf8');
    config = loadTributaryConfig(configDir({ 'stream.conf': streamConf(globalCompression), 'netdata.conf': netdataConf }));
  }, 60000);

  afterAll(async () => {
    await parent?.stop(true);
    rmSync(LAB, { recursive: true, force: true });
    removeConfigDirs();
  }, 30000);

  it('decides every case as Netdata does', async () => {
    const ours: string[] = [];
    const theirs: string[] = [];
    for (let i = 0; i < CASES.length; i++) {
      const c = CASES[i];
      const reply = await handshake(port, c, i);
      let real: string;
      if (reply.startsWith('Hit me baby, push them over with the version=')) {
        const caps = Number(reply.slice('Hit me baby, push them over with the version='.length));
        real = `accepted, compression ${(caps & 1024) !== 0 ? 'on' : 'off'}`;
      } else if (reply === 'You are not permitted to access this. Check the logs for more info.') real = 'denied';
      else real = `unexpected reply '${reply}'`;
      theirs.push(`${c.name}: ${real}`);

      // Netdata reports loopback peers as 'localhost'.
      const settings = resolveStreamSettings(config, { apiKey: c.key, machineGuid: c.guid });
      const decision = authorizeStream(settings, 'localhost');
      ours.push(`${c.name}: ${decision.allowed ? `accepted, compression ${settings.enableCompression ? 'on' : 'off'}` : 'denied'}`);
    }
    expect(ours).toEqual(theirs);
    // Both outcomes must occur, or agreement would prove little.
    expect(theirs.filter((t) => t.endsWith('denied')).length).toBeGreaterThan(4);
    expect(theirs.filter((t) => t.includes('accepted')).length).toBeGreaterThan(4);
  }, 120000);
});
