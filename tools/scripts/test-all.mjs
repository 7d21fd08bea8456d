// `npm test`: every unit and integration test of every project in one Jest run, ending with `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const args = ['node_modules/jest/bin/jest.js', '--config', 'jest.config.cjs', '--runInBand', '--passWithNoTests', ...process.argv.slice(2)];
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env });
process.exit(r.status ?? 1);
