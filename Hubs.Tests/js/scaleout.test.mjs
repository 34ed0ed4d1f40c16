// Two Hubs instances sharing Redis: a JS client connected to instance A receives, in order, the project updates
// published through instance B. Run by JavaScriptScaleoutTests, which starts Redis and the instances and sets
// HUBS_URLS (A,B).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as signalR from '@microsoft/signalr';

const [a, b] = (process.env.HUBS_URLS ?? '').split(',').filter(Boolean);
if (!a || !b) throw new Error('HUBS_URLS must list two instances: run through JavaScriptScaleoutTests.');

const connections = [];
after(async () => { await Promise.all(connections.map((c) => c.stop())); });

test('a JS client on instance A receives, in order, project updates published through instance B', async () => {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`${a}/hubs/projects`)
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  await connection.start();
  connections.push(connection);

  const received = [];
  const all = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${received.length} of 3 updates arrived`)), 15000);
    connection.on('ProjectUpdated', (update) => {
      received.push(update);
      if (received.length === 3) { clearTimeout(timer); resolve(); }
    });
  });
  await connection.invoke('Subscribe', 'js-scaleout', null);

  const ids = [];
  for (let n = 0; n < 3; n++) {
    const response = await fetch(`${b}/api/projects/js-scaleout/updates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { n } }),
    });
    assert.equal(response.status, 202);
    ids.push((await response.json()).message_id);
  }

  await all;
  assert.deepEqual(received.map((u) => u.data.n), [0, 1, 2]);
  assert.deepEqual(received.map((u) => u.message_id), ids);
});
