// The four legacy raw-JSON WebSocket protocols (shared/protocols/LEGACY.md) spoken by the `ws` package, as the
// seed clients speak them: plain JSON text frames, no SignalR. Run by the .NET suite (Development server), which
// sets HUBS_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';

const base = process.env.HUBS_URL;
if (!base) throw new Error('HUBS_URL is not set: run these tests through the .NET suite, or start a server and set it.');
const wsBase = base.replace(/^http/, 'ws');

// The per-user channel requires a token even in Development; this signs one with the public development key.
function devToken(user) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: user, iss: 'hubs', aud: 'hubs', iat: now, nbf: now, exp: now + 600 })}`;
  const signature = createHmac('sha256', 'hubs-development-signing-key-DO-NOT-USE-IN-PRODUCTION').update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

/** Opens a socket whose frames queue up; next() resolves with the next frame parsed (each must be one JSON object). */
function open(path) {
  const socket = new WebSocket(wsBase + path);
  const frames = [];
  const waiting = [];
  let closed = null;
  socket.on('message', (data, isBinary) => {
    assert.equal(isBinary, false);
    const frame = JSON.parse(data.toString());
    assert.equal(typeof frame, 'object');
    assert.ok(frame !== null && !Array.isArray(frame));
    (waiting.shift() ?? { resolve: (f) => frames.push(f) }).resolve(frame);
  });
  socket.on('close', (code) => {
    closed = code;
    for (const w of waiting.splice(0)) w.reject(new Error(`closed with ${code}`));
  });
  const ready = new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
  return {
    socket,
    ready,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next: () => frames.length > 0
      ? Promise.resolve(frames.shift())
      : new Promise((resolve, reject) => {
        if (closed !== null) { reject(new Error(`closed with ${closed}`)); return; }
        const timer = setTimeout(() => reject(new Error('no frame within 20 s')), 20_000);
        waiting.push({ resolve: (f) => { clearTimeout(timer); resolve(f); }, reject });
      }),
    closed: () => new Promise((resolve) => (closed !== null ? resolve(closed) : socket.once('close', resolve))),
    close: () => socket.close(),
  };
}

async function publish(path, body) {
  const response = await fetch(`${base}/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 202);
  return response.json();
}

test('/ws/stream-generation streams a generation to complete', async () => {
  const client = open('/ws/stream-generation');
  await client.ready;
  const connected = await client.next();
  assert.equal(connected.type, 'connected');
  assert.match(connected.client_id, /^[0-9a-f-]{36}$/);
  client.send({ prompt: 'tea', user_id: 'user-123' });
  const types = [];
  for (let frame = await client.next(); ; frame = await client.next()) {
    types.push(frame.type);
    assert.match(frame.timestamp, /Z$/);
    if (frame.type === 'complete' || frame.type === 'error') break;
  }
  assert.equal(types.at(-1), 'complete');
  assert.deepEqual(types.filter((t) => t === 'agent_start').length, 3);
  client.send('not json');
  assert.equal((await client.next()).type, 'error');
  client.close();
});

test('/api/ws/{user_id} chat reaches the sender, ping echoes, a foreign token closes with 1008', async () => {
  const alice = open(`/api/ws/alice?token=${devToken('alice')}`);
  await alice.ready;
  assert.deepEqual(await alice.next(), { type: 'connection', message: 'Connected successfully', user_id: 'alice' });
  alice.send({ type: 'chat', message: 'hi', timestamp: '2025-11-25T11:30:00Z' });
  assert.deepEqual(await alice.next(), { type: 'chat', user_id: 'alice', message: 'hi', timestamp: '2025-11-25T11:30:00Z' });
  alice.send({ type: 'ping', timestamp: 'x' });
  assert.deepEqual(await alice.next(), { type: 'pong', timestamp: 'x' });
  alice.send({ type: 'dance' });
  assert.deepEqual(await alice.next(), { type: 'error', message: 'Unknown message type: dance' });

  const intruder = open(`/api/ws/alice?token=${devToken('bob')}`);
  assert.equal(await intruder.closed(), 1008);
  alice.close();
});

test('/ws/projects and /ws?project_id= receive project updates', async () => {
  const projects = open('/ws/projects');
  await projects.ready;
  assert.equal((await projects.next()).type, 'connected');
  projects.send({ action: 'subscribe', project_id: 'js-p1' });
  assert.deepEqual(await projects.next(), { type: 'subscription_confirmed', project_id: 'js-p1' });
  const query = open('/ws?project_id=js-p1');
  await query.ready;
  assert.equal((await query.next()).type, 'connected');
  assert.equal((await query.next()).type, 'subscription_confirmed');

  const { message_id: id } = await publish('/projects/js-p1/updates', { data: { status: 'done' } });
  for (const client of [projects, query]) {
    const update = await client.next();
    assert.equal(update.type, 'project_updated');
    assert.equal(update.project_id, 'js-p1');
    assert.equal(update.message_id, id);
    assert.deepEqual(update.data, { status: 'done' });
  }
  projects.send({ action: 'forward', type: 'qa', message_id: 'm1', project_id: 'js-p1', data: {} });
  assert.deepEqual(await projects.next(), { type: 'forwarded', message_id: 'm1', queue: 'qa' });
  projects.send({ action: 'fly' });
  assert.deepEqual(await projects.next(), { type: 'error', message: 'Unknown action: fly' });
  projects.close();
  query.close();
});

test('/ws incident events: welcome, subscribed with normalized filters, event, errors with codes', async () => {
  const client = open('/ws');
  await client.ready;
  const welcome = await client.next();
  assert.equal(welcome.type, 'welcome');
  client.send({ type: 'subscribe', subscription_id: 'crit', filters: { severities: ['P0', 'P0'], event_types: [] } });
  assert.deepEqual(await client.next(), { type: 'subscribed', subscription_id: 'crit', filters: { severities: ['P0'] } });

  await publish('/incidents/events', { event_type: 'incident_created', incident: { id: 'i-low', severity: 'P3' } });
  const { message_id: id } = await publish('/incidents/events', { event_type: 'escalated', incident: { id: 'i-1', severity: 'P0', title: 'down' } });
  const event = await client.next();
  assert.equal(event.type, 'event');
  assert.equal(event.message_id, id);
  assert.equal(event.event.event_type, 'escalated');
  assert.equal(event.event.priority, 'critical');
  assert.equal(event.event.incident.id, 'i-1');

  client.send({ type: 'unsubscribe', subscription_id: 'nope' });
  assert.equal((await client.next()).code, 'NOT_FOUND');
  client.send({ type: 'teleport' });
  assert.equal((await client.next()).code, 'UNSUPPORTED');
  client.socket.send(Buffer.from('{}'), { binary: true });
  assert.equal((await client.next()).code, 'INVALID_MESSAGE');
  client.send({ type: 'ping', timestamp: 42 });
  const pong = await client.next();
  assert.equal(pong.timestamp, 42);
  assert.match(pong.server_time, /Z$/);
  client.close();
});

test('an oversized frame closes the socket with 1009', async () => {
  const client = open('/ws');
  await client.ready;
  await client.next();
  client.send(JSON.stringify({ pad: 'x'.repeat(70 * 1024) }));
  assert.equal(await client.closed(), 1009);
});
