import { Client } from 'pg';
import { decodePage } from '../../src/page/page.codec';

/** Every point stored in PostgreSQL for one host, read straight from the pages table (not through the store). */
export async function storedPoints(url: string, guid: string): Promise<{ dim: string; t: number; v: number }[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ dim_id: string; data: Buffer }>(
      `SELECT d.dim_id, p.data FROM pages p JOIN dimensions d ON d.id = p.dimension_id JOIN charts ch ON ch.id = d.chart_id
       JOIN hosts h ON h.id = ch.host_id WHERE h.machine_guid = $1 ORDER BY d.dim_id, p.start_s`,
      [guid],
    );
    const out: { dim: string; t: number; v: number }[] = [];
    for (const row of r.rows) {
      const p = decodePage(row.data);
      for (let i = 0; i < p.times.length; i++) out.push({ dim: row.dim_id, t: p.times[i], v: p.values[i] });
    }
    return out;
  } finally {
    await c.end();
  }
}

export async function sql<T extends Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}
