import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTributaryConfig, resolveStreamSettings } from '../src/index';
import { configDir, removeConfigDirs, warningsOf } from './config-dir';

// Real Netdata 1.37 files: the Debian package's stock stream.conf, exporting.conf and health.d/, and the netdata.conf
// a real agent served (captured into fixtures/).
const STOCK = '/usr/lib/netdata/conf.d';

afterAll(removeConfigDirs);

describe('loadTributaryConfig on real Netdata 1.37 files', () => {
  beforeAll(() => {
    if (!existsSync(join(STOCK, 'stream.conf'))) throw new Error(`real netdata stock config not installed at ${STOCK}`);
  });

  it('loads the stock stream.conf, exporting.conf and every stock health.d file without an error', () => {
    const dir = configDir({});
    cpSync(join(STOCK, 'stream.conf'), join(dir, 'stream.conf'));
    cpSync(join(STOCK, 'exporting.conf'), join(dir, 'exporting.conf'));
    cpSync(join(STOCK, 'health.d'), join(dir, 'health.d'), { recursive: true });
    const c = loadTributaryConfig(dir);

    // The stock file sets timeout seconds = 60 and leaves everything else at the code defaults.
    expect(c.stream.stream).toMatchObject({ enabled: false, timeoutSeconds: 60, defaultPort: 19999, bufferSizeBytes: 10485760, reconnectDelaySeconds: 5, initialClockResyncIterations: 60 });
    // Its [API_KEY] and [MACHINE_GUID] placeholders are not GUIDs: warned about, never used.
    expect(warningsOf(c)).toEqual([
      expect.stringMatching(/^DIR\/stream\.conf:\d+: section \[API_KEY\] is neither/),
      expect.stringMatching(/^DIR\/stream\.conf:\d+: section \[MACHINE_GUID\] is neither/),
    ]);
    expect(c.exporting.global.enabled).toBe(false);
    expect(c.exporting.instances).toEqual([]);

    const stockDefinitions = readdirSync(join(dir, 'health.d'))
      .map((f) => readFileSync(join(dir, 'health.d', f), 'utf8'))
      .join('\n')
      .split('\n')
      .filter((l) => /^\s*(alarm|template)\s*:/i.test(l)).length;
    expect(c.health.length).toBe(stockDefinitions);
    expect(c.health.length).toBeGreaterThan(200);
    const cpu = c.health.find((d) => d.name === '10min_cpu_usage');
    expect(cpu?.lookup?.value).toMatchObject({ method: 'average', after: -600, unaligned: true });
    expect(c.health.every((d) => d.on !== undefined)).toBe(true);
  });

  it('loads the netdata.conf a real agent generates without warnings', () => {
    const r = spawnSync('/usr/sbin/netdata', ['-W', 'buildinfo'], { encoding: 'utf8' });
    expect(r.stdout).toContain('Version: netdata v1.37');
    const dir = configDir({});
    // The Debian package ships no netdata.conf; this fixture is `curl /netdata.conf` of a 1.37.1 agent started with
    // ../shared/tools/netdata-child/start-parent.sh (every option, defaults commented out).
    writeFileSync(join(dir, 'netdata.conf'), readFileSync(join(__dirname, 'fixtures', 'netdata-1.37.1-generated.conf'), 'utf8'));
    const c = loadTributaryConfig(dir);
    expect(warningsOf(c)).toEqual([]);
    expect(c.netdata.db).toMatchObject({ mode: 'dbengine', updateEvery: 1, enableReplication: true, secondsToReplicate: 86400, secondsPerReplicationStep: 600, cleanupOrphanHostsAfterSecs: 3600 });
    expect(c.netdata.web.defaultPort).toBe(19999);
  });

  it('loads the example parent configuration', () => {
    const dir = configDir({});
    mkdirSync(dir, { recursive: true });
    cpSync(join(__dirname, 'fixtures', 'parent'), dir, { recursive: true });
    const c = loadTributaryConfig(dir);
    expect(warningsOf(c)).toEqual([]);
    expect(c.exporting.instances.map((i) => `${i.kind}/${i.transport}:${i.name}`)).toEqual(['graphite/tcp:carbon', 'opentsdb/http:vm_tsdb', 'prometheus_remote_write/http:vm']);
    expect(c.health.map((h) => h.name)).toEqual(['10min_cpu_usage']);
    const s = resolveStreamSettings(c, { apiKey: '11111111-2222-3333-4444-555555555555', machineGuid: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' });
    expect(s).toMatchObject({ history: 86400, health: 'yes', updateEvery: 2, memoryMode: 'dbengine', enableCompression: true, secondsToReplicate: 3600 });
  });
});
