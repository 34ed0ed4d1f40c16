// The generated TypeScript declarations (clients/typescript) compile with tsc against @microsoft/signalr's own types,
// together with the README example and type tests that must be rejected (tsconfig.clients.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

function compile(project) {
  const result = spawnSync(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { cwd: here, encoding: 'utf8', timeout: 180000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test('the generated declarations, the example and the type tests compile with tsc against @microsoft/signalr', () => {
  const { status, output } = compile('tsconfig.clients.json');
  assert.equal(status, 0, output);
});
