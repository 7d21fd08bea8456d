// `npm run lint` must refuse an app importing another app and a lib importing an app: the design card's rule.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) dir = dirname(dir);
  return dir;
}

const root = workspaceRoot();

interface LintResult {
  messages: { ruleId: string | null; message: string }[];
}

/** Runs the real ESLint CLI (as `npm run lint` does) on code placed at filePath; returns the boundary errors. */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', join(root, filePath), '--format', 'json'],
    { cwd: root, input: code, encoding: 'utf8' },
  );
  const results = JSON.parse(r.stdout) as LintResult[];
  return results.flatMap((x) => x.messages).filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('Nx module boundaries', () => {
  it('refuse an import from one app into another', async () => {
    const errors = await boundaryErrors(
      'apps/web-api/src/probe.ts',
      "import { StreamListener } from '../../stream-ingest/src/listener/stream.listener';\nexport const p = StreamListener;\n",
    );
    expect(errors.length).toBe(1);
  });

  it('refuse an import from a lib into an app', async () => {
    const errors = await boundaryErrors(
      'libs/config/src/probe.ts',
      "import { bootstrap } from '../../../apps/metric-store/src/main';\nexport const p = bootstrap;\n",
    );
    expect(errors.length).toBe(1);
  });

  it('accept an app importing a shared lib through its alias', async () => {
    const errors = await boundaryErrors(
      'apps/web-api/src/probe.ts',
      "import { SimplePattern } from '@tributary/simple-patterns';\nexport const p = SimplePattern;\n",
    );
    expect(errors).toEqual([]);
  });

  it('refuse a relative import across projects even between libs', async () => {
    const errors = await boundaryErrors(
      'libs/config/src/probe.ts',
      "import { SimplePattern } from '../../simple-patterns/src/simple-pattern';\nexport const p = SimplePattern;\n",
    );
    expect(errors.length).toBe(1);
  });
});
