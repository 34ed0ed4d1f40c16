// Shared by the browser tests: headless Debian Chromium driven by playwright-core (never a downloaded browser),
// nginx as the reverse proxy in front of one or more Hubs instances, and the artifacts folder for screenshots.
import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const artifactsDir = path.resolve(process.env.HUBS_ARTIFACTS || path.join(here, 'artifacts'));

export const CHROMIUM = process.env.HUBS_CHROMIUM || '/usr/bin/chromium';

export async function launchBrowser(contextOptions = {}) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install the Debian package 'chromium' (./scripts/test.sh does).`);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubs-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    ...contextOptions,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function nginxBinary() {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx']) {
    if (fs.existsSync(candidate)) return candidate;
  }
  const found = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  throw new Error("nginx is missing: install the Debian package 'nginx' (./scripts/test.sh does).");
}

/**
 * nginx in the foreground as a reverse proxy for the given Hubs base URLs (round robin, no sticky sessions), with the
 * WebSocket upgrade headers a SignalR deployment needs. stop() kills it (connections drop); start() again reuses the port.
 */
export async function startNginx(upstreams) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubs-nginx-'));
  const port = await freePort();
  const servers = upstreams.map((u) => `    server ${new URL(u).host};`).join('\n');
  const config = `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream hubs {
${servers}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://hubs;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;   # keeps the port: the origin check compares it
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_read_timeout 1h;
      proxy_buffering off;
    }
  }
}
`;
  fs.writeFileSync(path.join(dir, 'nginx.conf'), config);
  const binary = nginxBinary();
  let child = null;

  const proxy = {
    url: `http://127.0.0.1:${port}`,
    async start() {
      child = spawn(binary, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      const deadline = Date.now() + 15000;
      while (Date.now() < deadline) {
        const ready = await Promise.race([
          fetch(`${proxy.url}/api/stats`).then((r) => r.ok, () => false),
          exited.then(() => 'exited'),
        ]);
        if (ready === true) return;
        if (ready === 'exited') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const log = fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : '';
      throw new Error(`nginx did not start on port ${port}:\n${log}`);
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      child = null;
    },
    async dispose() {
      await proxy.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await proxy.start();
  return proxy;
}

export async function post(base, pathAndQuery, body) {
  const response = await fetch(`${base}${pathAndQuery}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 202) throw new Error(`POST ${pathAndQuery} -> ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Waits until the element's text matches; fails with what the page showed instead. */
export async function waitForText(page, selector, pattern, timeout = 20000) {
  try {
    await page.waitForFunction(
      ([s, source, flags]) => new RegExp(source, flags).test(document.querySelector(s)?.textContent ?? ''),
      [selector, pattern.source, pattern.flags],
      { timeout },
    );
  } catch (error) {
    const actual = await page.locator(selector).first().textContent().catch(() => '<missing>');
    throw new Error(`${selector} never matched ${pattern} within ${timeout} ms; it shows: ${actual}`, { cause: error });
  }
}

export async function screenshot(page, name) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
