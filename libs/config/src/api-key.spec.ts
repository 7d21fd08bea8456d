import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey, writeDefaultStreamConf } from './api-key';
import { ConfigIssues } from './config-error';
import { parseIni } from './ini.parser';
import { isGuid } from './netdata-values';
import { readStreamConf } from './stream-conf.schema';

describe('API keys and the first-run stream.conf', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apikey-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates distinct v4 GUIDs', () => {
    const a = generateApiKey();
    expect(isGuid(a)).toBe(true);
    expect(a[14]).toBe('4');
    expect(generateApiKey()).not.toBe(a);
  });

  it('writes a stream.conf that enables the key and nothing else, and warns about nothing', () => {
    const key = generateApiKey();
    const path = join(dir, 'sub', 'stream.conf');
    expect(writeDefaultStreamConf(path, key)).toBe(true);
    const issues = new ConfigIssues();
    const conf = readStreamConf(parseIni(readFileSync(path, 'utf8'), path, issues), issues);
    expect(issues.errors).toEqual([]);
    expect(issues.warnings).toEqual([]);
    expect(conf.stream.enabled).toBe(false);
    expect([...conf.sections.keys()]).toEqual([key]);
    expect(conf.sections.get(key)).toMatchObject({ enabled: true, allowFrom: { text: '*' } });
  });

  it('never overwrites an existing file', () => {
    const path = join(dir, 'stream.conf');
    writeFileSync(path, 'mine');
    expect(writeDefaultStreamConf(path, generateApiKey())).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('mine');
  });
});
