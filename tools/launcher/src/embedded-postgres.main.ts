// Runs the one-machine stack's PostgreSQL in a process of its own, in its own process group: a terminal's Ctrl-C
// must not stop the database while metric-store is still flushing. The launcher sends SIGTERM once every app stopped.
import { launchEmbeddedPostgres } from '@tributary/runtime';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: embedded-postgres.main.js DATA_DIR\n');
  process.exit(2);
}
launchEmbeddedPostgres(dataDir, 'postgres', (l) => process.stderr.write(`${l}\n`)).then(
  (pg) => {
    process.stdout.write(`READY ${pg.url}\n`);
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      pg.stop().then(
        () => process.exit(0),
        (e: unknown) => {
          process.stderr.write(`stopping PostgreSQL failed: ${String(e)}\n`);
          process.exit(1);
        },
      );
    };
    for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(s, stop);
    // The launcher holds our stdin: if it dies without stopping us, stop the cluster anyway.
    process.stdin.resume();
    process.stdin.on('end', stop);
  },
  (e: unknown) => {
    process.stderr.write(`embedded PostgreSQL failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
