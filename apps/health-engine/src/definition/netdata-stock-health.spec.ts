// Netdata 1.37's own stock health.d (installed with the agent) through the same loader and compiler: every
// expression must compile, and only the lookup features documented as unsupported may be refused.
import { existsSync } from 'node:fs';
import { compileDefinition } from './definition.compiler';
import { ConfigLibHealthSource } from './config-lib.health-source';

const STOCK = '/usr/lib/netdata/conf.d/health.d';

describe("Netdata 1.37's stock health.d", () => {
  it('loads, and every alarm compiles', () => {
    expect(existsSync(STOCK)).toBe(true); // netdata must be installed (tools/scripts/install-system-deps.sh)
    const { definitions, issues } = new ConfigLibHealthSource().load([STOCK]);
    expect(definitions.length).toBeGreaterThan(250);
    const unexpected = issues.filter((i) => !/anomaly-bit|not supported by health-engine/.test(i.message));
    expect(unexpected).toEqual([]);
    for (const d of definitions) expect(() => compileDefinition(d)).not.toThrow();
  });
});
