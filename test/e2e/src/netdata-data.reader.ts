/** Reads /api/v1/data?format=json (Netdata's shape: labels + data rows, newest first, null = gap). */
export interface DataJson {
  labels: string[];
  data: (number | null)[][];
}

export async function fetchData(base: string, host: string, chart: string, afterSeconds: number): Promise<DataJson> {
  const url = `${base}/host/${encodeURIComponent(host)}/api/v1/data?chart=${encodeURIComponent(chart)}&after=-${afterSeconds}&before=0&format=json`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as DataJson;
}

/** Timestamps (ascending) of the rows that hold at least one value. */
export function filledTimes(d: DataJson): number[] {
  const out: number[] = [];
  for (const row of d.data) {
    const [t, ...values] = row;
    if (typeof t === 'number' && values.some((v) => typeof v === 'number')) out.push(t);
  }
  return out.sort((a, b) => a - b);
}

/** The longest run of missing seconds between consecutive stored points. */
export function longestGap(times: number[]): { seconds: number; from: number; to: number } {
  let worst = { seconds: 0, from: 0, to: 0 };
  for (let i = 1; i < times.length; i++) {
    const a = times[i - 1] as number;
    const b = times[i] as number;
    if (b - a > worst.seconds) worst = { seconds: b - a, from: a, to: b };
  }
  return worst;
}
