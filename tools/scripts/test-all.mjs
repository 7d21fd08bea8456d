// `npm test`: every unit and integration test of every project in one Jest run, ending with `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const resultsFile = join(root, 'tmp', 'jest-results.json');
mkdirSync(dirname(resultsFile), { recursive: true });
rmSync(resultsFile, { force: true });
const args = [
  'node_modules/jest/bin/jest.js',
  '--config',
  'jest.config.cjs',
  '--runInBand',
  '--json',
  `--outputFile=${resultsFile}`,
  ...process.argv.slice(2),
];
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env });
let passed = 0;
let failed = 1;
let skipped = 0;
if (existsSync(resultsFile)) {
  const res = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = res.numPassedTests;
  skipped = res.numPendingTests + res.numTodoTests;
  // A suite that fails to load has no test results of its own: count it once so it cannot pass unnoticed.
  failed = res.numFailedTests + res.numRuntimeErrorTestSuites;
}
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(r.status === 0 && failed === 0 ? 0 : 1);
