import { randomUUID } from 'node:crypto';
import { collections, lz4Frames, Shape } from './stream-payload';
import { SyntheticChild } from './synthetic-child';

/**
 * Synthetic Netdata children against a parent: N hosts x (charts x dims), compressed or not.
 *   realtime: one collection per host every --update-every seconds (default 1), the hosts spread over it;
 *   flood:    every host sends collections (1 s apart on its own clock) as fast as the parent reads.
 * Prints one JSON line per event on stdout.
 */
interface Args {
  port: number;
  hosts: number;
  charts: number;
  dims: number;
  compress: boolean;
  mode: 'realtime' | 'flood';
  key: string;
  prefix: string;
  updateEvery: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { port: 19999, hosts: 10, charts: 1, dims: 100, compress: true, mode: 'realtime', key: '11111111-2222-3333-4444-555555555555', prefix: 'synthetic', updateEvery: 1 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--port') a.port = Number(v);
    else if (k === '--hosts') a.hosts = Number(v);
    else if (k === '--charts') a.charts = Number(v);
    else if (k === '--dims') a.dims = Number(v);
    else if (k === '--mode') a.mode = v === 'flood' ? 'flood' : 'realtime';
    else if (k === '--key') a.key = v;
    else if (k === '--prefix') a.prefix = v;
    else if (k === '--update-every') a.updateEvery = Math.max(1, Number(v));
    else if (k === '--no-compression') {
      a.compress = false;
      continue;
    } else continue;
    i++;
  }
  return a;
}

const emit = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const shape: Shape = { charts: a.charts, dims: a.dims, updateEvery: a.updateEvery };
  const perCollection = a.charts * a.dims;
  // Flood payloads carry ~48 KB of text; realtime ones exactly one collection.
  const perPayload = a.mode === 'flood' ? Math.max(1, Math.floor(48000 / (perCollection * 14 + a.charts * 30))) : 1;
  const variants: Buffer[] = [];
  for (let v = 0; v < 16; v++) {
    const plain = collections(shape, 1 + v * perPayload, perPayload);
    variants.push(a.compress ? lz4Frames(plain) : plain);
  }
  const children: SyntheticChild[] = [];
  for (let i = 0; i < a.hosts; i += 50) {
    const batch: SyntheticChild[] = [];
    for (let j = i; j < Math.min(a.hosts, i + 50); j++) {
      batch.push(new SyntheticChild({ port: a.port, hostname: `${a.prefix}-${j}`, guid: randomUUID(), apiKey: a.key, shape, compress: a.compress }));
    }
    await Promise.all(batch.map((c) => c.start()));
    children.push(...batch);
  }
  emit({ event: 'streaming', hosts: children.length, samplesPerCollection: perCollection });

  let sentSamples = 0;
  if (a.mode === 'flood') {
    for (const c of children) {
      let v = 0;
      const pump = () => {
        while (!c.closed) {
          const ok = c.write(variants[v]);
          v = (v + 1) & 15;
          sentSamples += perPayload * perCollection;
          if (!ok) return c.onDrain(pump);
        }
      };
      pump();
    }
  } else {
    // One collection per host every update every seconds, the hosts spread over that interval.
    const periodMs = a.updateEvery * 1000;
    let v = 0;
    children.forEach((c, i) => {
      setTimeout(() => {
        setInterval(() => {
          c.write(variants[v & 15]);
          sentSamples += perCollection;
        }, periodMs);
      }, Math.floor((i * periodMs) / children.length));
    });
    setInterval(() => v++, periodMs);
  }
  setInterval(() => emit({ event: 'tick', sentSamples, closed: children.filter((c) => c.closed).length }), 1000);
  process.on('SIGTERM', () => {
    for (const c of children) c.close();
    process.exit(0);
  });
}

main().catch((e: unknown) => {
  emit({ event: 'error', message: e instanceof Error ? e.message : String(e) });
  process.exit(1);
});
