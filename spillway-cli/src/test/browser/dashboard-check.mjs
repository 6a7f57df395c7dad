// Opens the live dashboard of a running Spillway in headless Chromium, waits until its charts show
// non-zero data, checks that the page loaded nothing from elsewhere and broke no Content-Security-Policy,
// and writes a screenshot. Exit code 0 when all holds, 1 otherwise (with the reason on stderr).
//
//   node dashboard-check.mjs --url http://127.0.0.1:8080/dashboard --out dashboard.png \
//        [--timeout 60] [--settle 0] [--chromium /usr/bin/chromium] [--width 1400] [--height 900]
//
// --settle waits that many more seconds after the data appeared (for a fuller screenshot).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function options(argv) {
  const o = { timeout: 60, settle: 0, chromium: '/usr/bin/chromium', width: 1400, height: 900 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in o) && key !== 'url' && key !== 'out') throw new Error(`unknown option ${argv[i]}`);
    o[key] = typeof o[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
  }
  if (!o.url || !o.out) throw new Error('--url and --out are required');
  return o;
}

// Panels that must show data while the demo runs; data-* attributes are set by dashboard.js.
const MUST_SHOW = ['panel-requests', 'panel-tokens', 'panel-ptu', 'panel-latency', 'panel-ttft'];

async function main() {
  const o = options(process.argv.slice(2));
  const origin = new URL(o.url).origin;
  const profile = mkdtempSync(join(tmpdir(), 'spillway-chromium-'));
  const problems = [];
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: o.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
    viewport: { width: o.width, height: o.height },
    deviceScaleFactor: 1,
    colorScheme: 'dark',
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.on('request', (r) => {
      if (!r.url().startsWith(origin + '/') && !r.url().startsWith('data:')) problems.push(`request to another origin: ${r.url()}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

    const response = await page.goto(o.url, { waitUntil: 'load' });
    if (!response || response.status() !== 200) throw new Error(`GET ${o.url} answered ${response && response.status()}`);
    const csp = response.headers()['content-security-policy'] || '';
    if (!csp.includes("default-src 'self'")) throw new Error(`no strict Content-Security-Policy: "${csp}"`);

    try {
      await page.waitForFunction(
        (ids) => document.getElementById('status').dataset.state === 'live'
          && ids.every((id) => {
            const d = document.getElementById(id).dataset;
            return Number(d.points) > 0 && Number(d.last) > 0;
          }),
        MUST_SHOW, { timeout: o.timeout * 1000, polling: 250 });
    } catch (e) {
      const seen = await page.evaluate((ids) => ids.map((id) => `${id} ${JSON.stringify(document.getElementById(id).dataset)}`), MUST_SHOW);
      throw new Error(`charts did not show data within ${o.timeout}s:\n  ${seen.join('\n  ')}`);
    }
    // The demo's cache tour and frequent questions give exact hits in its first seconds.
    try {
      await page.waitForFunction(() => Number(document.getElementById('panel-cache').dataset.max) > 0
        && Number(document.getElementById('cache-table').dataset.exact) > 0, null, { timeout: o.timeout * 1000, polling: 250 });
    } catch (e) {
      const seen = await page.evaluate(() => JSON.stringify([document.getElementById('panel-cache').dataset,
        document.getElementById('cache-table').dataset]));
      throw new Error(`the cache panel showed no hit within ${o.timeout}s: ${seen}`);
    }
    // The demo's end users include an abusive one: the guard blocks some of their prompts, and scores them.
    try {
      await page.waitForFunction(() => Number(document.getElementById('panel-safety').dataset.max) > 0
        && Number(document.getElementById('safety-table').dataset.blocked) > 0
        && Number(document.getElementById('safety-table').dataset.users) > 0, null, { timeout: o.timeout * 1000, polling: 250 });
    } catch (e) {
      const seen = await page.evaluate(() => JSON.stringify([document.getElementById('panel-safety').dataset,
        document.getElementById('safety-table').dataset]));
      throw new Error(`the safety panel showed no block or no flagged user within ${o.timeout}s: ${seen}`);
    }
    if (o.settle > 0) await page.waitForTimeout(o.settle * 1000);

    const panels = await page.evaluate((ids) => Object.fromEntries(ids.map((id) => {
      const d = document.getElementById(id).dataset;
      return [id, { points: Number(d.points), last: Number(d.last), max: Number(d.max) }];
    })), MUST_SHOW);
    const backendRows = await page.locator('#backends tr').count();
    const consumers = await page.locator('#consumers li').count();
    const stationRows = await page.locator('#stations tr td.id').count();
    if (backendRows === 0) problems.push('the backends table is empty');
    if (stationRows === 0) problems.push('the PTU station table shows no model');
    if (consumers === 0) problems.push('the top consumers list is empty');
    await page.screenshot({ path: o.out, fullPage: true });
    const cacheHits = await page.evaluate(() => ({ ...document.getElementById('cache-table').dataset }));
    const safety = await page.evaluate(() => ({ ...document.getElementById('safety-table').dataset }));
    console.log(JSON.stringify({ panels, backendRows, stationRows, consumers, cacheHits, safety, screenshot: o.out }));
    if (problems.length > 0) throw new Error(problems.join('\n'));
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`dashboard check failed: ${e.message}`);
    process.exit(1);
  });
