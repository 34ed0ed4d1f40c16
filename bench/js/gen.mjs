// Node load generator: the JS SignalR path (@microsoft/signalr), the legacy raw-WebSocket path (ws), the
// Socket.IO peer (socket.io-client), and the -raw modes: the SignalR and Socket.IO wire protocols spoken over ws
// by a minimal client that costs about a third less CPU, so the generator crowds the servers less.
// Coordinator + forked workers, each bound to its own 127.0.0.x source address.
// Prints one JSON line per scenario with the same fields as Hubs.Bench (see docs/performance.md).
//
//   node gen.mjs fanout     --mode socketio|socketio-raw|signalr|signalr-raw --url http://127.0.0.1:5301 --pub-url ... --subscribers 1000 --groups 10 --rate 200
//   node gen.mjs saturation --mode socketio-raw ... --rate 100 --factor 1.25 --max-p99-ms 50 --refine 2
//                           [--url2 … --server-pids2 … --target2 … --mode2 … (and 3): more systems, steps alternating]
//   node gen.mjs incidents  --mode legacy|signalr-incidents --url http://127.0.0.1:5101 --subscribers 1000 --rate 100
import { fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';

const BUCKET_US = 10;
const BUCKETS = 500_000;

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) {
      const k = argv[i].slice(2);
      const v = argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[++i] : 'true';
      o[k] = v;
    }
  }
  return o;
}

const nowUs = () => process.hrtime.bigint() / 1000n; // CLOCK_MONOTONIC, shared with .NET's Stopwatch

function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch { return 0; }
}
const sumCpu = (pids) => pids.reduce((s, p) => s + cpuSeconds(p), 0);

// ---------------------------------------------------------------- worker
async function worker(opts) {
  const mode = opts.mode;
  const count = Number(opts.count);
  const first = Number(opts.first);
  const groups = Number(opts.groups ?? 10);
  const localAddress = `127.0.0.${2 + (Number(opts.index) % 8)}`;
  let counts = new Float64Array(BUCKETS);
  let max = 0;
  let received = 0;
  let lost = 0;
  let stopping = false;
  const closers = [];

  const record = (sentUs) => {
    const us = Number(nowUs() - BigInt(sentUs));
    counts[Math.min(Math.max(0, Math.floor(us / BUCKET_US)), BUCKETS - 1)]++;
    if (us > max) max = us;
    received++;
  };
  const onLost = () => { if (!stopping) lost++; };

  const filter = { severities: ['P1', 'P2'], sources: ['bench'], event_types: ['incident_created', 'incident_updated'] };

  async function connectOne(i) {
    const group = `bench-${i % groups}`;
    if (mode === 'socketio') {
      const { io } = await import('socket.io-client');
      const socket = io(opts.url, { transports: ['websocket'], reconnection: false, localAddress, forceNew: true });
      socket.on('ProjectUpdated', (u) => { if (u.data.w !== 1) record(u.data.t); });
      await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('connect_error', reject); });
      await socket.timeout(60000).emitWithAck('subscribe', group);
      socket.on('disconnect', onLost);
      closers.push(() => socket.close());
    } else if (mode === 'signalr' || mode === 'signalr-incidents') {
      const signalR = await import('@microsoft/signalr');
      const path = mode === 'signalr' ? '/hubs/projects' : '/hubs/incidents';
      const connection = new signalR.HubConnectionBuilder()
        .withUrl(opts.url + path, { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
        .configureLogging(signalR.LogLevel.None)
        .build();
      if (mode === 'signalr') {
        connection.on('ProjectUpdated', (u) => { if (u.data.w !== 1) record(u.data.t); });
      } else {
        connection.on('IncidentEvent', (e) => { if (e.event.incident.labels.w !== '1') record(e.event.incident.labels.t); });
      }
      connection.onclose(onLost);
      await connection.start();
      if (mode === 'signalr') await connection.invoke('Subscribe', group, null);
      else await connection.invoke('Subscribe', 'bench', filter, null);
      closers.push(() => connection.stop());
    } else if (mode === 'signalr-raw') {
      // The SignalR JSON hub protocol spoken directly over ws (handshake, one Subscribe invocation, records
      // separated by 0x1E, a ping every 15 s): the same wire traffic as @microsoft/signalr with less client work,
      // so the generator's own CPU takes less of the machine it shares with the servers.
      const { default: WebSocket } = await import('ws');
      const ws = new WebSocket(opts.url.replace(/^http/, 'ws') + '/hubs/projects', { localAddress, perMessageDeflate: false });
      await new Promise((resolve, reject) => {
        ws.once('open', () => {
          ws.send('{"protocol":"json","version":1}\x1e');
          ws.send(JSON.stringify({ type: 1, invocationId: '1', target: 'Subscribe', arguments: [group, null] }) + '\x1e');
        });
        ws.on('message', (raw) => {
          for (const text of raw.toString().split('\x1e')) {
            if (text.length === 0 || text === '{}') continue;
            const m = JSON.parse(text);
            if (m.type === 1 && m.target === 'ProjectUpdated') { const u = m.arguments[0]; if (u.data.w !== 1) record(u.data.t); }
            else if (m.type === 3 && m.invocationId === '1') { if (m.error) reject(new Error(m.error)); else resolve(); }
            else if (m.type === 7) reject(new Error(m.error ?? 'closed by the server'));
          }
        });
        ws.once('error', reject);
      });
      const ping = setInterval(() => ws.send('{"type":6}\x1e'), 15000);
      ws.on('close', () => { clearInterval(ping); onLost(); });
      closers.push(() => { clearInterval(ping); ws.close(); });
    } else if (mode === 'socketio-raw') {
      // Engine.IO 4 / Socket.IO 5 packets spoken directly over ws (open, namespace connect, one acknowledged
      // subscribe, ping answered with pong): the Socket.IO counterpart of signalr-raw, so a knee ratio compares
      // servers with equally light clients.
      const { default: WebSocket } = await import('ws');
      const ws = new WebSocket(opts.url.replace(/^http/, 'ws') + '/socket.io/?EIO=4&transport=websocket', { localAddress, perMessageDeflate: false });
      await new Promise((resolve, reject) => {
        ws.on('message', (raw) => {
          const text = raw.toString();
          if (text.startsWith('42')) { const [name, u] = JSON.parse(text.slice(2)); if (name === 'ProjectUpdated' && u.data.w !== 1) record(u.data.t); }
          else if (text === '2') ws.send('3');
          else if (text.startsWith('0{')) ws.send('40');
          else if (text.startsWith('40')) ws.send(`421${JSON.stringify(['subscribe', group])}`);
          else if (text.startsWith('431')) resolve();
          else if (text.startsWith('44')) reject(new Error(text));
        });
        ws.once('error', reject);
      });
      ws.on('close', onLost);
      closers.push(() => ws.close());
    } else if (mode === 'legacy') {
      const { default: WebSocket } = await import('ws');
      const ws = new WebSocket(opts.url.replace(/^http/, 'ws') + '/ws', { localAddress, perMessageDeflate: false });
      await new Promise((resolve, reject) => {
        ws.on('message', (raw) => {
          const m = JSON.parse(raw.toString());
          if (m.type === 'event') { if (m.event.incident.labels.w !== '1') record(m.event.incident.labels.t); } else if (m.type === 'welcome') ws.send(JSON.stringify({ type: 'subscribe', subscription_id: 'bench', filters: filter })); else if (m.type === 'subscribed') resolve(); else if (m.type === 'error') reject(new Error(m.message));
        });
        ws.once('error', reject);
      });
      ws.on('close', onLost);
      closers.push(() => ws.close());
    } else {
      throw new Error(`unknown mode ${mode}`);
    }
  }

  let connected = 0;
  let failed = 0;
  const parallel = Number(opts['connect-parallel'] ?? 32);
  let next = first;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < first + count) {
      const i = next++;
      try { await connectOne(i); connected++; } catch (e) { if (++failed <= 3) console.error(`worker ${opts.index}: connect failed: ${e.message}`); }
    }
  }));
  process.send({ type: 'ready', connected, failed });
  process.on('message', async (m) => {
    if (m === 'count') process.send({ type: 'count', received });
    else if (m === 'mark') {
      const sparse = [];
      for (let b = 0; b < BUCKETS; b++) if (counts[b]) sparse.push([b, counts[b]]);
      process.send({ type: 'stats', received, lost, latency: { b: sparse, max } });
      counts = new Float64Array(BUCKETS); max = 0; received = 0;
    } else if (m === 'stop') {
      stopping = true;
      await Promise.allSettled(closers.map((c) => c()));
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------- coordinator
class Pool {
  constructor(opts, total, workers) {
    this.children = [];
    let first = 0;
    for (let i = 0; i < workers; i++) {
      const count = Math.floor(total / workers) + (i < total % workers ? 1 : 0);
      const args = ['worker', ...Object.entries({ ...opts, index: i, first, count }).flatMap(([k, v]) => [`--${k}`, String(v)])];
      const child = fork(new URL(import.meta.url).pathname, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.setMaxListeners(0);
      this.children.push(child);
      first += count;
    }
  }
  get pids() { return this.children.map((c) => c.pid); }
  ask(message, type) {
    return Promise.all(this.children.map((c) => new Promise((resolve, reject) => {
      const on = (m) => { if (m.type === type) { c.off('message', on); resolve(m); } };
      c.on('message', on);
      c.once('exit', () => reject(new Error(`worker ${c.pid} exited`)));
      if (message) c.send(message);
    })));
  }
  async stop() {
    await Promise.allSettled(this.children.map((c) => new Promise((resolve) => {
      c.once('exit', resolve); c.send('stop'); setTimeout(() => { c.kill('SIGKILL'); resolve(); }, 20000);
    })));
  }
}

function percentile(merged, total, max, p) {
  if (total === 0) return null;
  const rank = Math.ceil(total * p / 100);
  let seen = 0;
  for (const [b, c] of merged) { seen += c; if (seen >= rank) return Math.min((b + 1) * BUCKET_US, Math.max(max, BUCKET_US)) / 1000; }
  return max / 1000;
}

function makePublisher(opts, kind, groups) {
  const base = new URL(opts['pub-url'] ?? opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64, localAddress: '127.0.0.9' });
  const payload = Number(opts.payload ?? 256);
  const severities = ['P1', 'P2', 'P3', 'P4'];
  let seq = 0;
  const post = (path, body) => new Promise((resolve) => {
    const req = http.request({ host: base.hostname, port: base.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume(); res.on('end', () => resolve(res.statusCode >= 200 && res.statusCode < 300));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
  return async function run(rate, seconds, warm) {
    const accepted = new Array(groups).fill(0);
    let matching = 0;
    let failed = 0;
    let sent = 0;
    const pending = new Set();
    const start = performance.now();
    while (performance.now() - start < seconds * 1000) {
      const due = Math.floor((performance.now() - start) / 1000 * rate);
      while (sent < due && pending.size < 512) {
        const n = sent++;
        const s = ++seq;
        const t = String(nowUs());
        let p;
        if (kind === 'fanout') {
          const g = n % groups;
          const head = `{"seq":${s},"w":${warm ? 1 : 0},"t":${t},"pad":"`;
          const body = `{"type":"bench","data":${head}${'x'.repeat(Math.max(0, payload - head.length - 2))}"}}`;
          p = post(`/api/projects/bench-${g}/updates`, body).then((ok) => { if (ok) accepted[g]++; else failed++; });
        } else {
          const severity = severities[n % 4];
          const match = severity === 'P1' || severity === 'P2';
          const incident = { id: `inc-${s}`, title: 'x'.repeat(Math.max(0, payload - 160)), severity, state: 'open', source: 'bench', affected_resources: ['db-1'], labels: { t, w: warm ? '1' : '0' } };
          p = post('/api/incidents/events', JSON.stringify({ event_type: n % 8 < 4 ? 'incident_created' : 'incident_updated', incident })).then((ok) => { if (ok) { if (match) matching++; } else failed++; });
        }
        pending.add(p); p.finally(() => pending.delete(p));
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    const sendSeconds = (performance.now() - start) / 1000;
    await Promise.all(pending);
    return { sent, accepted, matching, failed, achieved: sent / sendSeconds };
  };
}

async function measure(opts, pool, publish, rate, subscribers, groups, kind) {
  const serverPids = (opts['server-pids'] ?? '').split(',').filter(Boolean).map(Number);
  const genPids = [...pool.pids, process.pid];
  await pool.ask('mark', 'stats');
  const cpu0 = sumCpu(serverPids);
  const each0 = serverPids.map(cpuSeconds);
  const gen0 = sumCpu(genPids);
  const t0 = performance.now();
  const outcome = await publish(rate, Number(opts.duration ?? 15), false);
  const seconds = (performance.now() - t0) / 1000;
  let expected = 0;
  if (kind === 'fanout') {
    outcome.accepted.forEach((a, g) => { expected += a * (Math.floor(subscribers / groups) + (g < subscribers % groups ? 1 : 0)); });
  } else {
    expected = outcome.matching * subscribers;
  }
  let last = -1; let quietSince = performance.now(); const drainStart = performance.now();
  while (performance.now() - drainStart < 10000) {
    const n = (await pool.ask('count', 'count')).reduce((s, m) => s + m.received, 0);
    if (n >= expected) break;
    if (n !== last) { last = n; quietSince = performance.now(); } else if (performance.now() - quietSince > 1000) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const cpu = sumCpu(serverPids) - cpu0;
  const each = serverPids.map((p, i) => cpuSeconds(p) - each0[i]);
  const gen = sumCpu(genPids) - gen0;
  const stats = await pool.ask('mark', 'stats');
  const merged = new Map();
  let total = 0; let max = 0;
  for (const s of stats) { for (const [b, c] of s.latency.b) { merged.set(b, (merged.get(b) ?? 0) + c); total += c; } max = Math.max(max, s.latency.max); }
  const sorted = [...merged.entries()].sort((a, b) => a[0] - b[0]);
  const received = stats.reduce((s, m) => s + m.received, 0);
  return {
    scenario: opts.scenario ?? kind, target: opts.target ?? opts.mode, generator: 'node', ...(opts.round ? { round: Number(opts.round) } : {}), server_pids: serverPids.length,
    connections: pool.connected, subscribers, groups, rate, publish_rate: +outcome.achieved.toFixed(3), publish_failed: outcome.failed,
    payload_bytes: Number(opts.payload ?? 256), deliveries: received, expected,
    loss: expected === 0 ? 0 : Math.max(0, +(1 - received / expected).toFixed(6)),
    connections_lost: stats.reduce((s, m) => s + m.lost, 0), seconds: +seconds.toFixed(3),
    deliveries_per_s: +(received / seconds).toFixed(3),
    p50_ms: percentile(sorted, total, max, 50), p95_ms: percentile(sorted, total, max, 95), p99_ms: percentile(sorted, total, max, 99),
    max_ms: total ? max / 1000 : null,
    server_cpu_s: +cpu.toFixed(3), server_cpu_us_per_delivery: received ? +(cpu * 1e6 / received).toFixed(3) : null,
    server_cpu_pct: +(cpu * 100 / seconds).toFixed(3), server_cpu_s_by_pid: each.map((c) => +c.toFixed(3)), generator_cpu_pct: +(gen * 100 / seconds).toFixed(3),
  };
}

function emit(opts, line) {
  const json = JSON.stringify(line);
  console.log(json);
  if (opts.out) fs.appendFileSync(opts.out, json + '\n');
}

// One system's knee search, a step at a time (each yield is one measured step), so that several systems' searches can
// alternate step by step and meet the machine in the same minutes.
async function* kneeSearch(sys) {
  const maxP99 = Number(sys['max-p99-ms'] ?? 50);
  const step = async (at, refining) => {
    const line = await measure(sys, sys.pool, sys.publish, at, sys.subscribers, sys.groups, 'fanout');
    emit(sys, { ...line, scenario: (sys.scenario ?? 'saturation') + '-step', ...(refining ? { refining: true } : {}) });
    const p99 = line.p99_ms ?? Infinity;
    const failed = line.loss > 0 ? 'loss' : p99 > maxP99 ? 'p99' : line.publish_rate < 0.95 * at ? 'publisher could not keep the rate' : line.connections_lost > 0 ? 'connections lost' : null;
    return { line, failed };
  };
  let rate = Number(sys.rate ?? 200);
  let knee = null; let stoppedBy = 'max steps'; let failedAt = null;
  for (let n = 0; n < Number(sys['max-steps'] ?? 12); n++) {
    const { line, failed } = await step(rate, false);
    yield;
    if (failed) { stoppedBy = failed; failedAt = rate; break; }
    knee = line;
    rate = Math.round(rate * Number(sys.factor ?? 1.5));
  }
  // Between the last rate that held and the first that did not, geometric bisection: with x1.25 steps alone a knee
  // ratio can only come out as a power of 1.25 (1.56, 1.95, 2.44…), too coarse to judge a 2x target. Not after a
  // lost connection: the pool is smaller from then on.
  for (let n = 0; knee && failedAt && stoppedBy !== 'connections lost' && n < Number(sys.refine ?? 2); n++) {
    const mid = Math.round(Math.sqrt(knee.rate * failedAt));
    if (mid <= knee.rate || mid >= failedAt) break;
    const { line, failed } = await step(mid, true);
    yield;
    if (failed) failedAt = mid; else knee = line;
  }
  emit(sys, { ...(knee ?? {}), scenario: sys.scenario ?? 'saturation', target: sys.target ?? sys.mode, knee_deliveries_per_s: knee?.deliveries_per_s ?? 0, knee_publish_rate: knee?.rate ?? 0, first_failed_rate: failedAt, stopped_by: stoppedBy });
}

async function coordinator(command, opts) {
  const subscribers = Number(opts.subscribers ?? 1000);
  const groups = Number(opts.groups ?? 10);
  const kind = command === 'incidents' ? 'incidents' : 'fanout';
  // A saturation search may take a second and a third system (--url2, --server-pids2, --target2, --mode2, --pub-url2;
  // the same with 3): all are connected and warmed, then their steps alternate, so the knees that a ratio compares
  // are measured in the same minutes (this VM's speed drifts by tens of percent between runs minutes apart).
  const systems = [opts];
  for (const k of command === 'saturation' ? [2, 3] : []) {
    if (!opts[`url${k}`]) continue;
    const url = opts[`url${k}`]; const mode = opts[`mode${k}`] ?? opts.mode;
    systems.push({ ...opts, url, 'pub-url': opts[`pub-url${k}`] ?? url, 'server-pids': opts[`server-pids${k}`] ?? '', target: opts[`target${k}`] ?? mode, mode });
  }
  const pools = [];
  try {
    for (const sys of systems) {
      const pool = new Pool({ mode: sys.mode, url: sys.url, groups }, subscribers, Number(opts.workers ?? 4));
      pools.push(pool);
      const ready = await pool.ask(null, 'ready');
      pool.connected = ready.reduce((s, m) => s + m.connected, 0);
      Object.assign(sys, { pool, publish: makePublisher(sys, kind, groups), subscribers, groups });
    }
    for (const sys of systems) {
      await sys.publish(Math.min(Number(opts.rate ?? 200), 200), Number(opts.warmup ?? 3), true);
    }
    if (command !== 'saturation') {
      emit(opts, await measure(opts, opts.pool, opts.publish, Number(opts.rate ?? 200), subscribers, groups, kind));
      return;
    }
    let searches = systems.map(kneeSearch);
    while (searches.length > 0) {
      const running = [];
      for (const search of searches) {
        if (!(await search.next()).done) running.push(search);
      }
      searches = running;
    }
  } finally {
    await Promise.all(pools.map((p) => p.stop()));
  }
}

const [command, ...rest] = process.argv.slice(2);
const opts = parseArgs(rest);
if (command === 'worker') await worker(opts);
else if (['fanout', 'saturation', 'incidents'].includes(command)) { await coordinator(command, opts); process.exit(0); }
else { console.error('usage: node gen.mjs fanout|saturation|incidents --mode socketio|socketio-raw|signalr|signalr-raw|signalr-incidents|legacy ...'); process.exit(2); }
