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
  title: string;
  priority: number;
  update_every: number;
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
      title: c.title,
      priority: c.priority,
      update_every: c.update_every,
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

/** Values of the same timestamps and dimensions in a parent's and a child's /api/v1/data answers. */
async function compareData(parentUrl: string, childUrl: string): Promise<{ labels: string[]; compared: number; mismatches: string[] }> {
  const [ours, child] = await Promise.all([getJson(parentUrl), getJson(childUrl)]);
  const theirIndex = new Map<number, number[]>(child.data.map((row: number[]) => [row[0], row]));
  const cols: number[] = ours.labels.slice(1).map((l: string) => child.labels.indexOf(l));
  if (cols.includes(-1)) throw new Error(`labels differ: ${parentUrl} ${ours.labels} vs child ${child.labels}`);
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
      // Netdata stores values with ~7 significant digits; a parent recomputing from raw collected values may round
      // the last digit differently.
      if (Math.abs(x - y) > Math.max(0.01, Math.abs(y) * 1e-4)) mismatches.push(`${row[0]} ${ours.labels[i]}: parent ${x} child ${y}`);
    }
  }
  return { labels: ours.labels, compared, mismatches };
}

describe('web-api acceptance (real Netdata children, real Netdata parent, headless Chromium)', () => {
  let stack: TributaryStack;
  let refParent: NetdataAgent;
  const children: NetdataAgent[] = [];
  let childWebPort: number;
  let refChildWebPort: number;
  let refPort: number;
  let browser: Browser | undefined;

  beforeAll(async () => {
    stack = await startTributaryStack(API_KEY, 'wa-tributary', { healthAndExporter: true });
    refPort = await freePort();
    childWebPort = await freePort();
    refChildWebPort = await freePort();
    refParent = await startNetdataParent('wa-parent-r', refPort, API_KEY, { db: 'ram', labDir: LAB });
    children.push(await startNetdataChild(TRIB_CHILD, `127.0.0.1:${stack.publicPort}`, API_KEY, { webPort: childWebPort, labDir: LAB }));
    children.push(await startNetdataChild(REF_CHILD, `127.0.0.1:${refPort}`, API_KEY, { webPort: refChildWebPort, labDir: LAB }));
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    for (const c of children) await c.stop(true).catch(() => undefined);
    await refParent?.stop(true).catch(() => undefined);
    await stack?.stop();
  }, 60000);

  it('lists the child under /host/CHILD/api/v1/charts with the same charts, dimensions, units and families as a real parent', async () => {
    const urls = {
      ours: `${stack.webApiUrl}/host/${TRIB_CHILD}/api/v1/charts`,
      oursChild: `http://127.0.0.1:${childWebPort}/api/v1/charts`,
      theirs: `http://127.0.0.1:${refPort}/host/${REF_CHILD}/api/v1/charts`,
      theirsChild: `http://127.0.0.1:${refChildWebPort}/api/v1/charts`,
    };
    await Promise.all(Object.values(urls).map((u) => stableCharts(u, 100, 60000))).catch((error: Error) => {
      throw new Error(`${error.message}\n${stack.logs()}`);
    });
    // Children create some charts lazily (disk ops, workers): take the four views until each parent matches its child.
    const ids = (doc: Json) => Object.keys(doc.charts).sort().join(' ');
    let docs: Record<keyof typeof urls, Json> = { ours: null, oursChild: null, theirs: null, theirsChild: null };
    for (let attempt = 0; attempt < 20; attempt++) {
      const [ours, oursChild, theirs, theirsChild] = await Promise.all(Object.values(urls).map(getJson));
      docs = { ours, oursChild, theirs, theirsChild };
      if (ids(ours) === ids(oursChild) && ids(theirs) === ids(theirsChild)) break;
      await sleep(2000);
    }
    const ours = shapes(docs.ours);
    const oursChild = shapes(docs.oursChild);
    const theirs = shapes(docs.theirs);
    const theirsChild = shapes(docs.theirsChild);
    // The real parent shows its child's chart list exactly (a control of the comparison itself) ...
    expect([...theirs.keys()].sort()).toEqual([...theirsChild.keys()].sort());
    // ... and so does Tributary, chart by chart in the same shape.
    expect([...ours.keys()].sort()).toEqual([...oursChild.keys()].sort());
    const differentFromChild = [...ours.keys()].filter((id) => JSON.stringify(ours.get(id)) !== JSON.stringify(oursChild.get(id)));
    expect(differentFromChild.map((id) => ({ id, ours: ours.get(id), child: oursChild.get(id) }))).toEqual([]);
    // Against the real parent: identical shape for every chart the two children themselves have alike (apps.plugin's
    // dimensions, one per process group seen, legitimately differ between two agents); charts only one child has are
    // exactly the ones that differ between the two children.
    const same = (x: ChartShape | undefined, y: ChartShape | undefined) => JSON.stringify(x) === JSON.stringify(y);
    const common = [...theirs.keys()].filter((id) => ours.has(id) && same(oursChild.get(id), theirsChild.get(id)));
    const differentFromParent = common.filter((id) => !same(ours.get(id), theirs.get(id)));
    expect(differentFromParent.map((id) => ({ id, ours: ours.get(id), theirs: theirs.get(id) }))).toEqual([]);
    const onlyOne = (x: Map<string, ChartShape>, y: Map<string, ChartShape>) => [...x.keys()].filter((id) => !y.has(id)).sort();
    expect({ ours: onlyOne(ours, theirs), theirs: onlyOne(theirs, ours) }).toEqual({
      ours: onlyOne(oursChild, theirsChild),
      theirs: onlyOne(theirsChild, oursChild),
    });
    expect(common.length).toBeGreaterThan(100);
    expect(ours.get('system.cpu')).toMatchObject({ units: 'percentage', family: 'cpu' });
    // Top-level document: same keys as Netdata's, this parent first in the host list.
    expect(Object.keys(docs.ours)).toEqual(Object.keys(docs.theirs));
    expect(docs.ours.hostname).toBe(TRIB_CHILD);
    expect(docs.ours.hosts.map((h: Json) => h.hostname)).toEqual(['wa-tributary', TRIB_CHILD]);
    // Per chart: the same keys in the same order as the real parent.
    expect(Object.keys(docs.ours.charts['system.cpu'])).toEqual(Object.keys(docs.theirs.charts['system.cpu']));
  }, 150000);

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
    // Control: the real parent against its own child, compared the same way.
    const control = await compareData(
      `http://127.0.0.1:${refPort}/host/${REF_CHILD}/api/v1/data?${q}`,
      `http://127.0.0.1:${refChildWebPort}/api/v1/data?${q}`,
    );
    expect(control.mismatches).toEqual([]);
    const ours = await compareData(`${stack.webApiUrl}/host/${TRIB_CHILD}/api/v1/data?${q}`, `http://127.0.0.1:${childWebPort}/api/v1/data?${q}`);
    expect(ours.labels).toEqual(control.labels);
    expect(ours.mismatches).toEqual([]);
    // 60 rows x 9 dimensions minus rows the two sides do not both have (edges, the child's first points).
    expect(ours.compared).toBeGreaterThan(50 * 9);
    // Grouped: 12 points of 5 s averages, aligned as Netdata aligns them.
    const g = `chart=system.cpu&after=${after}&before=${before}&points=12&group=average&format=json&options=seconds`;
    const grouped = await compareData(`${stack.webApiUrl}/host/${TRIB_CHILD}/api/v1/data?${g}`, `http://127.0.0.1:${childWebPort}/api/v1/data?${g}`);
    expect(grouped.mismatches).toEqual([]);
    expect(grouped.compared).toBeGreaterThan(9 * 9);
  }, 100000);

  it('/api/v1/info per host has the keys of a real parent\'s, mirrored hosts with this parent first', async () => {
    const ours = await getJson(`${stack.webApiUrl}/host/${TRIB_CHILD}/api/v1/info`);
    const theirs = await getJson(`http://127.0.0.1:${refPort}/host/${REF_CHILD}/api/v1/info`);
    expect(Object.keys(ours).filter((k) => k !== 'ml-info')).toEqual(Object.keys(theirs).filter((k) => k !== 'ml-info'));
    expect(ours.version).toBe(theirs.version);
    expect(ours.mirrored_hosts).toEqual(['wa-tributary', TRIB_CHILD]);
    expect(ours.mirrored_hosts_status[1]).toMatchObject({ hostname: TRIB_CHILD, reachable: true, hops: 1 });
    expect(ours['stream-compression']).toBe(theirs['stream-compression']);
    expect(ours.buildinfo).toContain('Stream Compression');
    for (const k of ['kernel_name', 'architecture', 'cores_total', 'ram_total']) expect([k, ours[k]]).toEqual([k, theirs[k]]);
  });

  it('answers bad requests like the real parent, through the public port too', async () => {
    const cases: Array<[string, string]> = [
      [`/host/nobody/api/v1/info`, 'nobody'],
      [`/host/${TRIB_CHILD}/host/x/api/v1/info`, ''],
      [`/host/${TRIB_CHILD}/api/v1/data?chart=no.such_chart`, ''],
      [`/host/${TRIB_CHILD}/api/v1/chart?chart=no.such_chart`, ''],
      [`/host/${TRIB_CHILD}/api/v1/data`, ''],
      [`/host/${TRIB_CHILD}/api/v1/allmetrics?format=xml`, ''],
    ];
    for (const [path] of cases) {
      const theirs = await fetch(`http://127.0.0.1:${refPort}${path.replace(TRIB_CHILD, REF_CHILD)}`);
      const theirText = (await theirs.text()).replace(REF_CHILD, TRIB_CHILD);
      for (const base of [stack.webApiUrl, stack.publicUrl]) {
        const ours = await fetch(base + path);
        expect([base + path, ours.status, await ours.text()]).toEqual([base + path, theirs.status, theirText]);
      }
    }
    const redirect = await fetch(`${stack.publicUrl}/host/${TRIB_CHILD}`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toMatch(new RegExp(`/host/${TRIB_CHILD}/$`));
    // Malformed numbers: Netdata silently uses 0; we refuse them with the offending value named.
    const bad = await fetch(`${stack.webApiUrl}/host/${TRIB_CHILD}/api/v1/data?chart=system.cpu&after=yesterday`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/'after'.*'yesterday'/);
  });

  it('/api/v1/allmetrics shell and json name the same charts, variables and dimensions as the child\'s own API', async () => {
    const t0 = Date.now();
    const oursJson = await getJson(`${stack.webApiUrl}/host/${TRIB_CHILD}/api/v1/allmetrics?format=json`);
    const jsonMs = Date.now() - t0;
    const childJson = await getJson(`http://127.0.0.1:${childWebPort}/api/v1/allmetrics?format=json`);
    const common = Object.keys(childJson).filter((id) => id in oursJson);
    expect(common.length).toBeGreaterThan(0.95 * Object.keys(childJson).length);
    const meta = (c: Json) => ({ name: c.name, family: c.family, context: c.context, units: c.units, dims: Object.keys(c.dimensions).sort() });
    const differing = common.filter((id) => JSON.stringify(meta(oursJson[id])) !== JSON.stringify(meta(childJson[id])));
    expect(differing.map((id) => ({ id, ours: meta(oursJson[id]), child: meta(childJson[id]) }))).toEqual([]);
    const cpu = oursJson['system.cpu'];
    expect(Math.abs(cpu.last_updated - Math.floor(Date.now() / 1000))).toBeLessThan(10);
    expect(typeof cpu.dimensions.user.value).toBe('number');

    const names = (text: string) =>
      new Set(text.split('\n').filter((l) => l.startsWith('NETDATA_SYSTEM_')).map((l) => l.slice(0, l.indexOf('='))));
    const t1 = Date.now();
    const oursShell = await (await fetch(`${stack.webApiUrl}/host/${TRIB_CHILD}/api/v1/allmetrics?format=shell`)).text();
    const shellMs = Date.now() - t1;
    const childShell = await (await fetch(`http://127.0.0.1:${childWebPort}/api/v1/allmetrics?format=shell`)).text();
    expect([...names(oursShell)].sort()).toEqual([...names(childShell)].sort());
    expect(oursShell.endsWith('\n# NETDATA ALARMS RUNNING\n')).toBe(true);
    process.stdout.write(`allmetrics for ${Object.keys(oursJson).length} charts: json ${jsonMs} ms, shell ${shellMs} ms\n`);
  }, 30000);

  it('serves the child\'s alarms from health-engine and its Prometheus scrape from the exporter', async () => {
    const alarms = await getJson(`${stack.webApiUrl}/host/${TRIB_CHILD}/api/v1/alarms?all`);
    const reference = await getJson(`http://127.0.0.1:${refPort}/host/${REF_CHILD}/api/v1/alarms?all`);
    expect(Object.keys(alarms)).toEqual(Object.keys(reference));
    expect(alarms.hostname).toBe(TRIB_CHILD);
    // (the lab's real parent runs no health for its children, so only the document's keys are compared with it)
    expect(alarms.alarms['system.cpu.10min_cpu_usage']).toMatchObject({ chart: 'system.cpu', name: '10min_cpu_usage', units: '%' });
    const url = `${stack.webApiUrl}/host/${TRIB_CHILD}/api/v1/allmetrics?format=prometheus&server=acceptance`;
    let text = '';
    for (let i = 0; i < 10 && !/\nnetdata_system_cpu_percentage_average\{/.test(text); i++) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      text = await res.text();
      await sleep(1500);
    }
    // (label order is the exporter's business; web-api passes its body through untouched)
    expect(text).toMatch(/\nnetdata_system_cpu_percentage_average\{[^}]*chart="system\.cpu"[^}]*dimension="user"[^}]*\} [0-9.e+-]+ \d+\n/);
    expect(text.startsWith(`netdata_info{instance="${TRIB_CHILD}"`)).toBe(true);
    const streams = await getJson(`${stack.webApiUrl}/api/v1/tributary/streams`);
    expect(streams.peers).toMatchObject({
      'stream-ingest': { reachable: true },
      'metric-store': { reachable: true },
      'health-engine': { reachable: true },
      exporter: { reachable: true },
    });
    const child = streams.hosts.find((h: Json) => h.hostname === TRIB_CHILD);
    expect(child).toMatchObject({ online: true, compression: true, hops: 1 });
    expect(child.capabilities).toContain('COMPRESSION');
    expect(child.compression_ratio).toBeGreaterThan(1);
    expect(child.samples_per_second).toBeGreaterThan(100);
  }, 30000);

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
