// Captures what a real Netdata 1.37 child stores (every chart, every dimension, every point of the last N seconds,
// through its own /api/v1/data) into fixtures/real-child.json.gz, the data set of `npm run bench:store`.
// usage: node capture-real-child.mjs WEB_PORT SECONDS
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';

const [port, seconds = '300'] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}/api/v1`;
const charts = await (await fetch(`${base}/charts`)).json();
const out = { capturedAt: new Date().toISOString(), netdata: charts.version, seconds: Number(seconds), dimensions: [] };
for (const id of Object.keys(charts.charts)) {
  const c = charts.charts[id];
  const url = `${base}/data?chart=${encodeURIComponent(id)}&after=-${seconds}&before=0&points=0&group=average&format=json&options=seconds`;
  const res = await fetch(url);
  if (!res.ok) continue;
  const d = await res.json();
  const labels = d.labels.slice(1);
  const rows = d.data.slice().reverse(); // oldest first
  labels.forEach((dim, k) => {
    out.dimensions.push({ chart: id, dim, updateEvery: c.update_every, values: rows.map((r) => r[k + 1]) });
  });
}
const file = join(dirname(new URL(import.meta.url).pathname), 'fixtures', 'real-child.json.gz');
writeFileSync(file, gzipSync(JSON.stringify(out), { level: 9 }));
console.log(`${out.dimensions.length} dimensions x ~${seconds} s -> ${file}`);
