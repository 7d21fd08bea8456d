import { rmSync } from 'node:fs';

export default async function teardown() {
  const state = globalThis.__TRIBUTARY_PG__;
  if (!state) return;
  globalThis.__TRIBUTARY_PG__ = undefined;
  await state.pg.stop();
  rmSync(state.dir, { recursive: true, force: true });
}
