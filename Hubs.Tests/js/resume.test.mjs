// The resume helper (clients/typescript/resume.js) with the real @microsoft/signalr client: subscriptions survive
// a fail-over from instance A to instance B (both share one retained history), exactly once and in order.
// Run by JavaScriptClientTests, which sets HUBS_URL_A, HUBS_URL_B and HUBS_CONTROL (POST /stop-a stops A).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as signalR from '@microsoft/signalr';
import { FailoverRetryPolicy, ResumableSubscriptions, compareMessageIds } from '../../clients/typescript/resume.js';

const a = process.env.HUBS_URL_A;
const b = process.env.HUBS_URL_B;
const control = process.env.HUBS_CONTROL;
if (!a || !b || !control) throw new Error('HUBS_URL_A, HUBS_URL_B and HUBS_CONTROL must be set: run through the .NET suite.');

const connections = [];
after(async () => { await Promise.all(connections.map((c) => c.stop())); });

async function publish(base, severity, resources) {
  const body = { event_type: 'incident_created', incident: { id: `inc-${Math.random()}`, severity, affected_resources: resources } };
  const response = await fetch(`${base}/api/incidents/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 202);
  return (await response.json()).message_id;
}

async function waitUntil(condition, what) {
  const deadline = Date.now() + 30000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('compareMessageIds orders by time, then sequence', () => {
  assert.ok(compareMessageIds('10-2', '9-5') > 0);
  assert.ok(compareMessageIds('10-2', '10-11') < 0);
  assert.equal(compareMessageIds('10-2', '10-2'), 0);
});

test('incident subscriptions resume on another instance: every matching event once, in order', async () => {
  const policy = new FailoverRetryPolicy([a + '/hubs/incidents', b + '/hubs/incidents'], [1000, 300, 300, 300, 300, 300]);
  const connection = policy.attach(new signalR.HubConnectionBuilder()
    .withUrl(a + '/hubs/incidents', { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
    .withAutomaticReconnect(policy)
    .configureLogging(signalR.LogLevel.None)
    .build());
  connections.push(connection);
  const gaps = [];
  const resume = new ResumableSubscriptions(connection, { onGap: (g) => gaps.push(g) });
  const received = [];
  resume.onIncidentEvent((e) => received.push(e.message_id));
  const reconnected = new Promise((resolve, reject) => {
    connection.onreconnected(resolve);
    connection.onclose((error) => reject(new Error(`closed instead of reconnecting: ${error}`)));
  });

  await connection.start();
  await resume.subscribeIncidents('critical', { severities: ['P0'] });
  await resume.subscribeIncidents('db', { affected_resources: ['db'] });

  const expected = [];
  let n = 0;
  async function publishRound(base, count) {
    for (let i = 0; i < count; i++, n++) {
      // Some events match both subscriptions (must arrive once), some neither.
      const severity = n % 2 === 0 ? 'P0' : 'P2';
      const resources = n % 3 === 0 ? ['web'] : ['db'];
      const id = await publish(base, severity, resources);
      if (severity === 'P0' || resources[0] === 'db') expected.push(id);
    }
  }

  await publishRound(a, 9);
  await waitUntil(() => received.length === expected.length, 'events before the fail-over');

  const stopped = await fetch(control + '/stop-a', { method: 'POST' });
  assert.equal(stopped.status, 200);
  await publishRound(b, 12); // while the client waits to reconnect: the gap
  await reconnected;
  await waitUntil(() => received.length === expected.length, 'the replayed gap');
  await publishRound(b, 6);
  await waitUntil(() => received.length === expected.length, 'live events after the fail-over');
  await new Promise((r) => setTimeout(r, 300)); // room for a duplicate, if one were sent

  assert.equal(connection.baseUrl, b + '/hubs/incidents');
  assert.deepEqual(received, expected);
  assert.equal(resume.duplicatesDropped, 0);
  assert.deepEqual(gaps, []);
});
