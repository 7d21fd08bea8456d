import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateGuid, loadParentIdentity, netdataConfHostname } from './parent.identity';

describe('parent identity', () => {
  it('reads [global] hostname only from the global section, last one wins', () => {
    const conf = '[web]\n hostname = nope\n[global]\n  # hostname = commented\n  hostname = first\n\thostname   =   parent-a  \n[db]\nhostname = other\n';
    expect(netdataConfHostname(conf)).toBe('parent-a');
    expect(netdataConfHostname('[global]\n  update every = 1\n')).toBeNull();
    expect(netdataConfHostname('[GLOBAL]\nHostname = up\n')).toBe('up');
  });

  it('creates the machine GUID once and keeps it across boots', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'web-api-guid-')), 'sub', 'parent.guid');
    const a = loadOrCreateGuid(file);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(readFileSync(file, 'utf8').trim()).toBe(a);
    expect(loadOrCreateGuid(file)).toBe(a);
  });

  it('replaces a corrupt GUID file instead of using garbage as an identity', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'web-api-guid-')), 'parent.guid');
    writeFileSync(file, 'not-a-guid\n');
    const g = loadOrCreateGuid(file);
    expect(g).not.toBe('not-a-guid');
    expect(readFileSync(file, 'utf8').trim()).toBe(g);
  });

  it('falls back to the OS hostname without netdata.conf', () => {
    const dir = mkdtempSync(join(tmpdir(), 'web-api-id-'));
    const id = loadParentIdentity(join(dir, 'missing-config'), join(dir, 'parent.guid'), 'v1.37.1');
    expect(id.hostname).toBe(hostname());
    expect(id.version).toBe('v1.37.1');
  });
});
