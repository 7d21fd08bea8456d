import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileDefinition } from './definition.compiler';
import { ConfigLibHealthSource } from './config-lib.health-source';

describe('stock health.d of Tributary', () => {
  it('parses and compiles without a single issue', () => {
    const { definitions, issues } = new ConfigLibHealthSource().load([join(__dirname, '..', 'assets', 'health.d')]);
    expect(issues).toEqual([]);
    const contexts = new Set(definitions.map((d) => d.on));
    for (const c of ['system.cpu', 'system.ram', 'disk.space', 'system.load', 'net.errors']) expect(contexts).toContain(c);
    for (const d of definitions) expect(() => compileDefinition(d)).not.toThrow();
  });

  it('lets a user file replace the stock file of the same name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'he-user-'));
    writeFileSync(join(dir, 'cpu.conf'), ' alarm: mine\n on: system.cpu\n calc: 1\n');
    const { definitions } = new ConfigLibHealthSource().load([join(__dirname, '..', 'assets', 'health.d'), dir]);
    expect(definitions.filter((d) => d.on === 'system.cpu').map((d) => d.name).sort()).toEqual(['mine', 'tributary_last_collected_secs']);
  });
});
