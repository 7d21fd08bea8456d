import { mkdtempSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { createWebApi, WebApi } from '../src/app.factory';
import { loadWebApiConfig } from '../src/config/web-api.config';
import { artifactPath, launchChromium } from './browser';
import { cpuChart, FakePeers, hostRecord, startFakePeers } from './fake-peers';

const CHILD = '22222222-aaaa-4bbb-8ccc-000000000001';
const GONE = '22222222-aaaa-4bbb-8ccc-000000000002';

// Evaluated in the page (strings, as this project's TypeScript has no DOM types).
const pointsOf = `Number(document.querySelector('[data-chart-id="system.cpu"]')?.getAttribute('data-points') ?? 0)`;
const pointsAtLeast = (n: number) => `${pointsOf} >= ${n}`;

/** The dashboard in a real headless Chromium against fake peers: node list, a node's charts drawn by uPlot. */
describe('dashboard in headless Chromium (fake peers)', () => {
  let peers: FakePeers;
  let api: WebApi;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    const now = Math.floor(Date.now() / 1000);
    // Ten minutes of history and ten of "future" so the live view keeps finding new points while the test runs.
    const times = Array.from({ length: 1200 }, (_, i) => now - 600 + i);
    const values = times.map((t) => [20 + 10 * Math.sin(t / 30), 5 + 3 * Math.cos(t / 20), 70]);
    peers = await startFakePeers({
      hosts: [hostRecord(CHILD, 'web-child', true), hostRecord(GONE, 'gone-child', false)],
      charts: new Map([[CHILD, [cpuChart()]], [GONE, []]]),
      series: new Map([[`${CHILD}/system.cpu`, { times, values }]]),
      streams: null,
      alarms: [],
      scrapes: [],
      queries: [],
    });
    const config = loadWebApiConfig({
      METRIC_STORE_ADDR: peers.addr,
      STREAM_INGEST_ADDR: '127.0.0.1:1',
      HEALTH_ENGINE_ADDR: peers.addr,
      EXPORTER_ADDR: peers.addr,
      TRIBUTARY_DATA_DIR: mkdtempSync(join(tmpdir(), 'web-api-dash-')),
      TRIBUTARY_CONFIG_DIR: '/nonexistent',
      WEB_API_RPC_TIMEOUT_MS: '1000',
    });
    api = await createWebApi(config, false);
    await api.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 60000);

  afterAll(async () => {
    await browser?.close();
    await api?.app.close();
    api?.peers.close();
    await peers?.stop();
  });

  it('lists the parent and both nodes with their state, opens the child and draws system.cpu', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base + '/');
    await page.waitForSelector(`#node-list li[data-node-guid="${CHILD}"]`, { timeout: 15000 });
    const items = await page.$$eval('#node-list li', (lis) =>
      lis.map((li) => [li.getAttribute('data-hostname'), li.getAttribute('data-online')]),
    );
    expect(items.slice(1)).toEqual([
      ['web-child', 'true'],
      ['gone-child', 'false'],
    ]);
    await page.click(`#node-list li[data-node-guid="${CHILD}"] a`);
    const chart = page.locator('[data-chart-id="system.cpu"]');
    await chart.locator('canvas').first().waitFor({ timeout: 15000 });
    await page.waitForFunction(pointsAtLeast(100), undefined, { timeout: 15000 });
    expect(await page.locator('details.family summary').first().textContent()).toContain('cpu');
    // The 5-minute default window at about one point per second, both dimensions.
    const points = Number(await chart.getAttribute('data-points'));
    expect(points).toBeGreaterThan(400);
    expect(await chart.locator('.u-legend').textContent()).toContain('user');
    // Changing the time range re-queries with the new window.
    const before = peers.data.queries.length;
    await page.selectOption('#range', '60');
    await page.waitForFunction(`${pointsOf} <= ${2 * 61}`, undefined, { timeout: 10000 });
    expect(peers.data.queries.slice(before).some((q) => q.after === -60)).toBe(true);
    await page.screenshot({ path: artifactPath('web-api-dashboard-fake.png'), fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  }, 60000);
});
