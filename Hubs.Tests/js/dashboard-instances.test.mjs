// The dashboard behind nginx round-robin over several Hubs instances, without sticky sessions: every page load's
// hub connections and requests may land on any instance. Run by DashboardBehindProxyTests, which starts the
// instances and sets HUBS_URLS (comma-separated).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startNginx, waitForText, screenshot } from './browser.mjs';

const upstreams = (process.env.HUBS_URLS ?? '').split(',').filter(Boolean);
if (upstreams.length < 2) throw new Error('HUBS_URLS must list at least two instances: run through DashboardBehindProxyTests.');

let nginx;
let browser;

before(async () => {
  nginx = await startNginx(upstreams);
  browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  await nginx?.dispose();
});

test('requests through the proxy reach every instance', async () => {
  // Instances in one test process share a host:pid name, so their start times tell them apart too.
  const seen = new Set();
  for (let i = 0; i < 4 * upstreams.length; i++) {
    const stats = await (await fetch(`${nginx.url}/api/stats`)).json();
    seen.add(`${stats.instance}@${stats.started_at}`);
  }
  assert.equal(seen.size, upstreams.length);
});

test('on every page load all hubs connect and a generation streams to the end, wherever each request lands', async () => {
  for (let load = 0; load < 3; load++) {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${nginx.url}/`);
    for (const hub of ['generation', 'projects', 'incidents']) await waitForText(page, `#state-${hub}`, /^connected$/);
    await page.getByRole('button', { name: 'Start generation' }).click();
    await waitForText(page, '#generation-status', /^Complete/, 30000);
    assert.deepEqual(errors, []);
    if (load === 0) await screenshot(page, 'dashboard-instances.png');
    await page.close();
  }

  // Each instance counts only its own connections; together they hold none of the closed pages'.
  const totals = await Promise.all(upstreams.map(async (u) => (await (await fetch(`${u}/api/stats`)).json()).generations_started));
  assert.equal(totals.reduce((a, b) => a + b, 0), 3, `three generations ran across the instances (${totals.join(' + ')})`);
});
