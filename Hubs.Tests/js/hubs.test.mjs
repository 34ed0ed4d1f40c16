// The JavaScript face of Hubs: the real @microsoft/signalr client drives every hub of a running server.
// Run by the .NET suite (JavaScriptClientTests), which starts the server and sets HUBS_URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as signalR from '@microsoft/signalr';

const base = process.env.HUBS_URL;
if (!base) throw new Error('HUBS_URL is not set: run these tests through the .NET suite, or start a server and set it.');
const token = process.env.HUBS_TOKEN; // set when the server requires authentication

const connections = [];
async function connect(path, query = '') {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`${base}${path}${query}`, token ? { accessTokenFactory: () => token } : {})
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  await connection.start();
  connections.push(connection);
  return connection;
}

function waitFor(connection, method, predicate = () => true, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { connection.off(method, handler); reject(new Error(`no ${method} within ${timeoutMs} ms`)); }, timeoutMs);
    function handler(arg) {
      if (!predicate(arg)) return;
      clearTimeout(timer);
      connection.off(method, handler);
      resolve(arg);
    }
    connection.on(method, handler);
  });
}

async function publish(path, body) {
  const response = await fetch(`${base}/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

after(async () => { await Promise.all(connections.map((c) => c.stop())); });

test('generation streams every agent in order and completes', async () => {
  const connection = await connect('/hubs/generation');
  const updates = [];
  await new Promise((resolve, reject) => {
    connection.stream('Generate', { prompt: 'launch post', user_id: 'js-user', brand_profile_id: 'brand-1' })
      .subscribe({ next: (u) => updates.push(u), complete: resolve, error: reject });
  });
  const phases = updates.filter((u) => u.type !== 'content_chunk').map((u) => `${u.type}:${u.agent ?? ''}`);
  assert.deepEqual(phases, [
    'agent_start:ResearchAgent', 'agent_complete:ResearchAgent',
    'agent_start:CreatorAgent', 'agent_complete:CreatorAgent',
    'agent_start:SchedulerAgent', 'agent_complete:SchedulerAgent',
    'complete:',
  ]);
  const creatorText = updates.filter((u) => u.type === 'content_chunk' && u.agent === 'CreatorAgent').map((u) => u.content).join('');
  assert.match(creatorText, /launch post/);
  assert.ok(updates.every((u) => typeof u.timestamp === 'string' && u.timestamp.endsWith('Z') || u.timestamp.includes('+')));
});

test('generation with a missing prompt fails the stream with INVALID_MESSAGE and the connection stays up', async () => {
  const connection = await connect('/hubs/generation');
  const error = await new Promise((resolve) => {
    connection.stream('Generate', { prompt: '', user_id: 'u' }).subscribe({ next: () => {}, complete: () => resolve(null), error: resolve });
  });
  assert.ok(error, 'the stream should fail');
  assert.match(error.message, /INVALID_MESSAGE: prompt and user_id are required/);
  assert.equal(connection.state, signalR.HubConnectionState.Connected);
});

test('generation cancelled by the client stops early', async () => {
  const connection = await connect('/hubs/generation');
  const updates = [];
  const subscription = connection.stream('Generate', { prompt: 'a long one', user_id: 'u' })
    .subscribe({ next: (u) => { updates.push(u); if (updates.length === 3) subscription.dispose(); }, complete: () => {}, error: () => {} });
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok(updates.length >= 3 && !updates.some((u) => u.type === 'complete'), `got ${updates.length} updates after cancelling`);
  assert.equal(connection.state, signalR.HubConnectionState.Connected);
});

test('project subscribers receive published updates with snake_case fields; others do not', async () => {
  const subscriber = await connect('/hubs/projects');
  const other = await connect('/hubs/projects');
  const project = `p-${Date.now()}`;
  const result = await subscriber.invoke('Subscribe', project, null);
  assert.equal(result.project_id, project);
  await other.invoke('Subscribe', `${project}-other`, null);
  let otherGot = 0;
  other.on('ProjectUpdated', () => { otherGot++; });

  const arrived = waitFor(subscriber, 'ProjectUpdated');
  const published = await publish(`/projects/${project}/updates`, { type: 'task_completed', data: { task: 42 } });
  assert.equal(published.status, 202);
  const update = await arrived;
  assert.equal(update.project_id, project);
  assert.equal(update.type, 'task_completed');
  assert.deepEqual(update.data, { task: 42 });
  assert.equal(update.message_id, published.body.message_id);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(otherGot, 0);
});

test('project subscribe with since replays the missed updates first, in order', async () => {
  const project = `replay-${Date.now()}`;
  const first = await publish(`/projects/${project}/updates`, { data: { n: 1 } });
  await publish(`/projects/${project}/updates`, { data: { n: 2 } });
  await publish(`/projects/${project}/updates`, { data: { n: 3 } });
  const connection = await connect('/hubs/projects');
  const seen = [];
  connection.on('ProjectUpdated', (u) => { seen.push(u.data.n); });
  const result = await connection.invoke('Subscribe', project, first.body.message_id);
  assert.equal(result.replayed, 2);
  assert.deepEqual(seen, [2, 3]);
});

test('forward appends to an agent queue and rejects an unknown queue', async () => {
  const connection = await connect('/hubs/projects');
  const result = await connection.invoke('Forward', { type: 'dev', message_id: 'm-1', project_id: 'p1', data: { do: 'it' } });
  assert.equal(result.queue, 'dev');
  assert.equal(result.message_id, 'm-1');
  await assert.rejects(connection.invoke('Forward', { type: 'ceo', message_id: 'm-2', project_id: 'p1', data: {} }), /unknown queue type 'ceo'/);
  assert.equal(connection.state, signalR.HubConnectionState.Connected);
});

test('incident filters: matching events arrive once with increasing ids, others never', async () => {
  const connection = await connect('/hubs/incidents');
  const events = [];
  connection.on('IncidentEvent', (e) => { events.push(e); });
  const tag = `svc-${Date.now()}`;
  const sub = await connection.invoke('Subscribe', 'critical', { severities: ['P0', 'P1'], labels: { team: tag } }, null);
  assert.deepEqual(sub.filters, { severities: ['P0', 'P1'], labels: { team: tag } });
  await connection.invoke('Subscribe', 'db', { affected_resources: ['db-1'], labels: { team: tag } }, null);

  const incident = (id, severity, resources) => ({ id, severity, title: id, state: 'open', source: 'test', affected_resources: resources, labels: { team: tag } });
  await publish('/incidents/events', { event_type: 'incident_created', incident: incident('a', 'P1', ['db-1']) }); // matches both
  await publish('/incidents/events', { event_type: 'incident_updated', incident: incident('b', 'P3', ['web']) }); // matches neither
  await publish('/incidents/events', { event_type: 'escalated', incident: incident('c', 'P3', ['db-1']) }); // matches db
  const last = await publish('/incidents/events', { event_type: 'alert_received', incident: incident('d', 'P0', []) }); // matches critical

  const deadline = Date.now() + 10000;
  while (events.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(events.map((e) => e.event.incident.id), ['a', 'c', 'd']);
  assert.deepEqual(events.map((e) => e.event.priority), ['high', 'critical', 'high']);
  assert.equal(events[2].message_id, last.body.message_id);
  const ids = events.map((e) => e.message_id.split('-').map(Number));
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i][0] > ids[i - 1][0] || (ids[i][0] === ids[i - 1][0] && ids[i][1] > ids[i - 1][1]));
});

test('incident unsubscribe of an unknown id is NOT_FOUND; a bad filter is INVALID_MESSAGE', async () => {
  const connection = await connect('/hubs/incidents');
  await assert.rejects(connection.invoke('Unsubscribe', 'nope'), /NOT_FOUND: no subscription 'nope'/);
  await assert.rejects(connection.invoke('Subscribe', 's', { severities: ['urgent'] }, null), /INVALID_MESSAGE: severities contains unknown value 'urgent'/);
  const ok = await connection.invoke('Subscribe', 's', {}, null);
  assert.deepEqual(ok.filters, {});
  const gone = await connection.invoke('Unsubscribe', 's');
  assert.equal(gone.subscription_id, 's');
});

test('project subscribers watch a generation that names the project, update for update', async () => {
  const project = `gen-${Date.now()}`;
  const watcher = await connect('/hubs/projects');
  const watched = [];
  watcher.on('ProjectUpdated', (u) => { if (u.type === 'generation_update') watched.push(u.data); });
  await watcher.invoke('Subscribe', project, null);

  const runner = await connect('/hubs/generation');
  const streamed = [];
  await new Promise((resolve, reject) => {
    runner.stream('Generate', { prompt: 'shared', user_id: 'owner', project_id: project })
      .subscribe({ next: (u) => { streamed.push(u); }, complete: resolve, error: reject });
  });

  const deadline = Date.now() + 10000;
  while (watched.length < streamed.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(watched.map((w) => w.update), streamed);
  assert.equal(new Set(watched.map((w) => w.generation_id)).size, 1);
  assert.ok(watched.every((w) => w.user_id === 'owner'));
});
