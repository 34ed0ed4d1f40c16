// GET /asyncapi.json passes the official AsyncAPI parser's validation (JSON Schema of the AsyncAPI 3 spec plus its
// ruleset, all shipped in the npm package: no network). Run by the .NET suite, which sets HUBS_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Parser } from '@asyncapi/parser';

const base = process.env.HUBS_URL;
if (!base) throw new Error('HUBS_URL is not set: run these tests through the .NET suite, or start a server and set it.');

// Spectral severities: 0 error, 1 warning, 2 information, 3 hint.
const ERROR = 0;
const WARNING = 1;

test('the served AsyncAPI document is valid AsyncAPI 3.0 with no errors or warnings', async () => {
  const response = await fetch(`${base}/asyncapi.json`);
  assert.equal(response.status, 200);
  const text = await response.text();

  const { document, diagnostics } = await new Parser().parse(text);
  const problems = diagnostics.filter((d) => d.severity === ERROR || d.severity === WARNING)
    .map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`);
  assert.deepEqual(problems, []);
  assert.ok(document, 'the parser produced a document');
  assert.equal(document.version(), '3.0.0');

  const addresses = document.channels().all().map((c) => c.address());
  for (const address of ['/hubs/generation', '/hubs/projects', '/hubs/incidents', '/hubs/study', '/ws/stream-generation', '/api/ws/{user_id}', '/ws/projects', '/ws']) {
    assert.ok(addresses.includes(address), `${address} is described`);
  }
  const subscribe = document.operations().all().find((o) => o.id() === 'incidentsHub.Subscribe');
  assert.ok(subscribe?.isReceive(), 'the service receives Subscribe');
  assert.ok(subscribe.reply(), 'Subscribe has a reply');
});
