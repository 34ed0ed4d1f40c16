// The dashboard page (Hubs.Server/wwwroot) in a real browser, through nginx, against a running server: what a new
// user sees at `/`. Run by the .NET suite (JavaScriptClientTests), which starts the server and sets HUBS_URL.
// Screenshots go to HUBS_ARTIFACTS (default: Hubs.Tests/js/artifacts/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startNginx, post, waitForText, screenshot } from './browser.mjs';

const base = process.env.HUBS_URL;
if (!base) throw new Error('HUBS_URL is not set: run these tests through the .NET suite, or start a server and set it.');

const run = Date.now().toString(36);
const projectId = `web-${run}`;
let browser;
let nginx;
let page;
const pageErrors = [];

before(async () => {
  nginx = await startNginx([base]);
  // A phone-sized, touch viewport: every step below is done the way a phone user would.
  browser = await launchBrowser({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  page = await browser.context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${nginx.url}/`);
});

after(async () => {
  await browser?.close();
  await nginx?.dispose();
});

const state = (hub) => page.locator(`#state-${hub}`).getAttribute('data-state');

async function waitConnected(hub, timeout = 20000) {
  await waitForText(page, `#state-${hub}`, /^connected$/, timeout);
}

test('the page loads through nginx and every hub connects', async () => {
  await page.getByRole('heading', { name: 'Hubs', level: 1 }).waitFor();
  for (const hub of ['generation', 'projects', 'incidents']) await waitConnected(hub);
  assert.equal(await state('projects'), 'connected');
  assert.deepEqual(pageErrors, []);

  // Keyboard users start at the skip link, which leads to the panels.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
  await page.keyboard.press('Enter');
  assert.match(page.url(), /#main$/);
});

test('a generation streams every agent to the end', async () => {
  await page.getByLabel('Prompt').fill(`Launch post ${run}`);
  await page.getByRole('button', { name: 'Start generation' }).click();
  await waitForText(page, '#generation-status', /^Complete/, 30000);

  const agents = await page.locator('#generation-agents li').evaluateAll((items) =>
    items.map((li) => ({ agent: li.dataset.agent, phase: li.dataset.phase, text: li.querySelector('.agent-content').textContent })));
  assert.deepEqual(agents.map((a) => `${a.agent}:${a.phase}`), ['ResearchAgent:done', 'CreatorAgent:done', 'SchedulerAgent:done']);
  assert.match(agents.find((a) => a.agent === 'CreatorAgent').text, new RegExp(`Launch post ${run}`));
  assert.equal(await page.getByRole('button', { name: 'Start generation' }).isEnabled(), true);
});

test('a published project update appears, and an update of another project does not', async () => {
  await page.getByLabel('Project id', { exact: true }).fill(projectId);
  await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await waitForText(page, '#projects-status', new RegExp(`Subscribed to ${projectId}`));

  // Published in this order: if the other project's update were delivered, it would arrive before ours.
  await post(base, `/api/projects/other-${run}/updates`, { data: { marker: `other-${run}` } });
  const published = await post(base, `/api/projects/${projectId}/updates`, { type: 'status_changed', data: { marker: `ours-${run}` } });

  await waitForText(page, '#project-updates', new RegExp(`ours-${run}`));
  const feed = await page.locator('#project-updates').textContent();
  assert.match(feed, new RegExp(`#${published.message_id}`));
  assert.match(feed, /status_changed/);
  assert.doesNotMatch(feed, new RegExp(`other-${run}`));
});

test('a matching incident appears, and incidents outside the filter do not', async () => {
  // Default severities P0 and P1 are checked; narrow to incident_created as well.
  await page.getByLabel('Subscription name').fill(`subscription-${run}`);
  await page.getByLabel('incident_created', { exact: true }).check();
  await page.getByRole('button', { name: 'Subscribe with filter' }).click();
  await waitForText(page, '#incidents-status', new RegExp(`Subscribed subscription-${run}: .*incident_created`));
  assert.match(await page.locator('#incidents-status').textContent(), /severities: P0, P1/);

  await post(base, '/api/incidents/events', { event_type: 'incident_created', incident: { id: `low-${run}`, title: 'Disk at 70%', severity: 'P3' } });
  await post(base, '/api/incidents/events', { event_type: 'comment', incident: { id: `comment-${run}`, title: 'A comment', severity: 'P0' } });
  const match = await post(base, '/api/incidents/events', {
    event_type: 'incident_created',
    incident: { id: `db-${run}`, title: `Database down ${run}`, severity: 'P1', source: 'pager' },
  });

  await waitForText(page, '#incident-events', new RegExp(`Database down ${run}`));
  const events = await page.locator('#incident-events li').evaluateAll((items) => items.map((li) => li.dataset.incidentId));
  assert.deepEqual(events, [`db-${run}`]);
  const text = await page.locator('#incident-events').textContent();
  assert.match(text, new RegExp(`#${match.message_id}`));
  assert.match(text, /priority high/);
});

test('live counters come from the service', async () => {
  // The three hub connections of this page are on the one instance behind nginx.
  await page.waitForFunction(() => Number(document.getElementById('count-incidents').textContent) >= 1, null, { timeout: 15000 });
  await page.waitForFunction(() => Number(document.getElementById('count-incident-events').textContent) >= 3, null, { timeout: 15000 });
  const stats = await (await fetch(`${base}/api/stats`)).json();
  assert.ok(stats.generations_started >= 1);
  assert.ok(stats.connections.projects >= 1);
  assert.match(await page.locator('#counters-instance').textContent(), new RegExp(stats.instance.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});

test('losing the proxy shows reconnecting, and the page resumes without losing events', async () => {
  await nginx.stop();
  await waitForText(page, '#state-incidents', /^(reconnecting|closed)/);
  await waitForText(page, '#state-projects', /^(reconnecting|closed)/);

  // Published while the page is cut off: the resubscription's `since` must replay them.
  await post(base, '/api/incidents/events', {
    event_type: 'incident_created',
    incident: { id: `missed-${run}`, title: `Missed while offline ${run}`, severity: 'P0' },
  });
  await post(base, `/api/projects/${projectId}/updates`, { data: { marker: `missed-${run}` } });

  await nginx.start();
  for (const hub of ['generation', 'projects', 'incidents']) await waitConnected(hub, 40000);
  await waitForText(page, '#incident-events', new RegExp(`Missed while offline ${run}`));
  await waitForText(page, '#project-updates', new RegExp(`missed-${run}`));
  await waitForText(page, '#incidents-status', /Resumed .*1 missed event/);

  // And live delivery goes on after the reconnect.
  await post(base, '/api/incidents/events', { event_type: 'incident_created', incident: { id: `after-${run}`, title: `After reconnect ${run}`, severity: 'P1' } });
  await waitForText(page, '#incident-events', new RegExp(`After reconnect ${run}`));
  const ids = await page.locator('#incident-events li').evaluateAll((items) => items.map((li) => li.dataset.incidentId));
  assert.deepEqual(ids, [`after-${run}`, `missed-${run}`, `db-${run}`], 'newest first, each once');
});

test('the page is usable on a phone: labelled controls, no sideways scrolling, screenshots saved', async () => {
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.textContent.trim()))
    .map((el) => el.id || el.outerHTML.slice(0, 60)));
  assert.deepEqual(unlabelled, []);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no horizontal overflow at 390 px');
  const liveRegions = await page.locator('[role="log"], [role="status"]').count();
  assert.ok(liveRegions >= 5, 'streams and states are announced through live regions');

  // A fresh counters refresh, so the screenshots show this page's connections.
  await page.waitForFunction(() => Number(document.getElementById('count-incidents').textContent) >= 1, null, { timeout: 15000 });
  const phone = await screenshot(page, 'dashboard-phone.png');
  await page.setViewportSize({ width: 1440, height: 1000 });
  const desktop = await screenshot(page, 'dashboard-desktop.png');
  console.log(`# screenshots: ${phone} ${desktop}`);
  assert.deepEqual(pageErrors, []);
});
