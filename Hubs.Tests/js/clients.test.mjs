// The generated typed helpers (clients/typescript/*.js) drive a running server through @microsoft/signalr in Node:
// the same files the dashboard loads in the browser. Run by the .NET suite, which sets HUBS_URL.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as signalR from '@microsoft/signalr';
import {
  GenerationAgents, GenerationHubClient, HubRoutes, IncidentEventTypes, IncidentsHubClient, ProjectsHubClient,
} from '../../clients/typescript/index.js';

const base = process.env.HUBS_URL;
if (!base) throw new Error('HUBS_URL is not set: run these tests through the .NET suite, or start a server and set it.');

const connections = [];
async function connect(Client) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(base + Client.path, { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  await connection.start();
  connections.push(connection);
  return new Client(connection);
}

async function publish(path, body) {
  const response = await fetch(`${base}/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 202);
  return response.json();
}

after(async () => { await Promise.all(connections.map((c) => c.stop())); });

test('generated constants carry the contracts values', () => {
  assert.equal(HubRoutes.Incidents, '/hubs/incidents');
  assert.equal(IncidentsHubClient.path, HubRoutes.Incidents);
  assert.deepEqual([...GenerationAgents.Pipeline], ['ResearchAgent', 'CreatorAgent', 'SchedulerAgent']);
  assert.ok(IncidentEventTypes.All.includes('escalated'));
  assert.ok(Object.isFrozen(IncidentEventTypes));
});

test('GenerationHubClient.generate streams the pipeline to complete', async () => {
  const generation = await connect(GenerationHubClient);
  const types = [];
  await new Promise((resolve, reject) => {
    generation.generate({ prompt: 'typed helper', user_id: 'ts' }).subscribe({ next: (u) => types.push(u.type), complete: resolve, error: reject });
  });
  assert.equal(types.at(-1), 'complete');
  assert.equal(types.filter((t) => t === 'agent_complete').length, GenerationAgents.Pipeline.length);
});

test('IncidentsHubClient subscribes with a filter (since defaults to null) and onIncidentEvent receives matches only', async () => {
  const incidents = await connect(IncidentsHubClient);
  const received = [];
  const off = incidents.onIncidentEvent((e) => received.push(e.event.incident.id));
  const subscription = await incidents.subscribe('typed', { severities: ['P0'] });
  assert.equal(subscription.subscription_id, 'typed');
  assert.deepEqual(subscription.filters.severities, ['P0']);

  await publish('/incidents/events', { event_type: 'incident_created', incident: { id: 'typed-p2', severity: 'P2' } });
  const match = await publish('/incidents/events', { event_type: 'incident_created', incident: { id: 'typed-p0', severity: 'P0' } });
  await waitUntil(() => received.includes('typed-p0'));
  assert.deepEqual(received, ['typed-p0']);
  await incidents.ack(match.message_id);

  off();
  await publish('/incidents/events', { event_type: 'incident_created', incident: { id: 'typed-after-off', severity: 'P0' } });
  const unsubscribed = await incidents.unsubscribe('typed');
  assert.equal(unsubscribed.subscription_id, 'typed');
  assert.deepEqual(received, ['typed-p0'], 'the handler removed by off() is not called');
});

test('ProjectsHubClient subscribes, receives onProjectUpdated and forwards to an agent queue', async () => {
  const projects = await connect(ProjectsHubClient);
  const updates = [];
  projects.onProjectUpdated((u) => updates.push(u));
  const subscription = await projects.subscribe('typed-project');
  assert.equal(subscription.project_id, 'typed-project');
  await publish('/projects/typed-project/updates', { data: { n: 1 } });
  await waitUntil(() => updates.length === 1);
  assert.deepEqual(updates[0].data, { n: 1 });

  const forwarded = await projects.forward({ type: 'qa', message_id: 'm-typed', project_id: 'typed-project', data: { step: 'test' } });
  assert.equal(forwarded.queue, 'qa');
  assert.equal(forwarded.message_id, 'm-typed');
});

async function waitUntil(condition, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
