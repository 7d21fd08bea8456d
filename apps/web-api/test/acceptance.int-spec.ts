import { freePort, NetdataAgent, startNetdataChild, startNetdataParent } from '@tributary/testing';
import { Browser } from 'playwright-core';
import { artifactPath, launchChromium } from './browser';
import { startTributaryStack, TributaryStack } from './tributary-stack';

/**
 * Issue 5 acceptance: a real child streaming to Tributary against a real Netdata 1.37 parent fed by a second child of
 * the same configuration, and the dashboard in a real headless Chromium.
 */
const API_KEY = '5e5e5e5e-0000-4000-8000-000000000005';
const LAB = '/tmp/netdata-lab-web-api';
const TRIB_CHILD = 'wa-child-t';
const REF_CHILD = 'wa-child-r';

type Json = ReturnType<typeof JSON.parse>;

interface ChartShape {
  type: string;
  family: string;
  units: string;
  context: string;
  chart_type: string;
  dims: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function getJson(url: string): Promise<Json> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

function shapes(doc: Json): Map<string, ChartShape> {
  const out = new Map<string, ChartShape>();
  for (const [id, c] of Object.entries<Json>(doc.charts)) {
    out.set(id, {
      type: c.type,
      family: c.family,
      units: c.units,
      context: c.context,
      chart_type: c.chart_type,
      dims: Object.keys(c.dimensions).sort(),
    });
  }
  return out;
}

/** Polls until the chart list stops growing (children add charts during their first seconds). */
async function stableCharts(url: string, min: number, timeoutMs: number): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let stableSince = Date.now();
  let doc: Json = null;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      doc = await getJson(url);
      const n = Object.keys(doc.charts).length;
      if (n !== last) {
        last = n;
        stableSince = Date.now();
      } else if (n >= min && Date.now() - stableSince > 8000) return doc;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await sleep(1000);
  }
  throw new Error(`${url}: chart list not stable with >= ${min} charts in ${timeoutMs} ms (last ${last}; ${lastError})`);
}

describe('web-api acceptance (real Netdata children, real Netdata parent, headless Chromium)', () => {
  let stack: TributaryStack;
  let refParent: NetdataAgent;
  const children: NetdataAgent[] = [];
  let childWebPort: number;
  let refPort: number;
  let browser: Browser | undefined;

  beforeAll(async () => {
    stack = await startTributaryStack(API_KEY, 'wa-tributary');
    refPort = await freePort();
    childWebPort = await freePort();
    refParent = await startNetdataParent('wa-parent-r', refPort, API_KEY, { db: 'ram', labDir: LAB });
    children.push(await startNetdataChild(TRIB_CHILD, `127.0.0.1:${stack.publicPort}`, API_KEY, { webPort: childWebPort, labDir: LAB }));
    children.push(await startNetdataChild(REF_CHILD, `127.0.0.1:${refPort}`, API_KEY, { labDir: LAB }));
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    for (const c of children) await c.stop(true).catch(() => undefined);
    await refParent?.stop(true).catch(() => undefined);
    await stack?.stop();
  }, 60000);

  it('lists the child under /host/CHILD/api/v1/charts with the same charts, dimensions, units and families as a real parent', async () => {
    const [ours, theirs] = await Promise.all([
      stableCharts(`${stack.webApiUrl}/host/${TRIB_CHILD}/api/v1/charts`, 100, 60000),
      stableCharts(`http://127.0.0.1:${refPort}/host/${REF_CHILD}/api/v1/charts`, 100, 60000),
    ]).catch((error: Error) => {
      throw new Error(`${error.message}\n${stack.logs()}`);
    });
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    expect(ours.hostname).toBe(TRIB_CHILD);
    expect(ours.hosts.map((h: Json) => h.hostname)).toEqual(['wa-tributary', TRIB_CHILD]);
    const a = shapes(ours);
    const b = shapes(theirs);
    // Charts of the agents' own processes differ between two instances (per-PID apps groups, ports): compare the rest.
    const ids = [...b.keys()].filter((id) => a.has(id));
    const missing = [...b.keys()].filter((id) => !a.has(id));
    const extra = [...a.keys()].filter((id) => !b.has(id));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    const differing = ids.filter((id) => JSON.stringify(a.get(id)) !== JSON.stringify(b.get(id)));
    expect(differing.map((id) => ({ id, ours: a.get(id), theirs: b.get(id) }))).toEqual([]);
    expect(ids.length).toBeGreaterThan(100);
    expect(a.get('system.cpu')).toMatchObject({ units: 'percentage', family: 'cpu' });
  }, 90000);

  it('/api/v1/data for system.cpu over the last 60 s agrees with the child\'s own API', async () => {
    // Wait until Tributary holds 60 s of system.cpu (the child started a little before this test file's first test).
    const deadline = Date.now() + 80000;
    for (;;) {
      const chart = await getJson(`${stack.webApiUrl}/host/${TRIB_CHILD}/api/v1/chart?chart=system.cpu`).catch(() => null);
      if (chart && chart.last_entry - chart.first_entry >= 62) break;
      if (Date.now() > deadline) throw new Error(`Tributary never held 60 s of system.cpu: ${JSON.stringify(chart)}\n${stack.logs()}`);
      await sleep(2000);
    }
    const before = Math.floor(Date.now() / 1000) - 3;
    const after = before - 60;
    const q = `chart=system.cpu&after=${after}&before=${before}&format=json&options=seconds`;
    const ours = await getJson(`${stack.webApiUrl}/host/${TRIB_CHILD}/api/v1/data?${q}`);
    const child = await getJson(`http://127.0.0.1:${childWebPort}/api/v1/data?${q}`);
    const theirIndex = new Map<number, number[]>(child.data.map((row: number[]) => [row[0], row]));
    const cols = ours.labels.slice(1).map((l: string) => child.labels.indexOf(l));
    expect(cols).not.toContain(-1);
    let compared = 0;
    const mismatches: string[] = [];
    for (const row of ours.data as Array<Array<number | null>>) {
      const theirs = theirIndex.get(row[0] as number);
      if (!theirs) continue;
      for (let i = 1; i < row.length; i++) {
        const x = row[i];
        const y = theirs[cols[i - 1]];
        if (x === null || y === null) continue;
        compared++;
        if (Math.abs(x - y) > Math.max(0.01, Math.abs(y) * 1e-4)) mismatches.push(`${row[0]} ${ours.labels[i]}: ours ${x} child ${y}`);
      }
    }
    expect(mismatches).toEqual([]);
    // 60 rows x 9 dimensions minus rows the two sides do not both have (edges, the child's first points).
    expect(compared).toBeGreaterThan(50 * 9);
  }, 100000);

  it('the dashboard on the public port lists the child, opens it and draws a chart (headless Chromium)', async () => {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(stack.publicUrl + '/');
    const item = page.locator(`#node-list li[data-hostname="${TRIB_CHILD}"]`);
    await item.waitFor({ timeout: 20000 });
    expect(await item.getAttribute('data-online')).toBe('true');
    await item.locator('a').click();
    const chart = page.locator('[data-chart-id="system.cpu"]');
    await chart.locator('canvas').first().waitFor({ timeout: 20000 });
    await page.waitForFunction(
      `Number(document.querySelector('[data-chart-id="system.cpu"]')?.getAttribute('data-points') ?? 0) > 100`,
      undefined,
      { timeout: 20000 },
    );
    expect(await page.locator(`[data-stream-status]`).textContent()).toMatch(/online/);
    await page.screenshot({ path: artifactPath('web-api-dashboard.png') });
    expect(errors).toEqual([]);
  }, 60000);
});
