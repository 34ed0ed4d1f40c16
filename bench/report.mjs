// Turns bench/results/latest.json (one JSON line per scenario) into latest.md: the machine, the table, the targets.
// Usage: node report.mjs latest.json latest.md [quick]
import fs from 'node:fs';
import os from 'node:os';
import { execSync } from 'node:child_process';

const [input, output, quick] = process.argv.slice(2);
const lines = fs.readFileSync(input, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const cpuModel = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [, 'unknown'])[1];
const nproc = execSync('nproc').toString().trim();
const ramGb = (os.totalmem() / 2 ** 30).toFixed(1);
const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
const f = (v, d = 2) => (v === null || v === undefined ? '–' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(d)) : String(v));
const find = (scenario, target) => lines.find((l) => l.scenario === scenario && l.target === target);

const rows = lines.filter((l) => !l.scenario.endsWith('-step') && l.scenario !== 'warm');
const table = [
  '| scenario | system | conns | deliveries/s | loss | p50 ms | p95 ms | p99 ms | max ms | server CPU µs/delivery | RSS KB/conn | generator CPU % |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((l) => `| ${l.scenario}${l.round ? ` (round ${l.round})` : ''}${l.stopped_by ? ` (knee; stopped by ${l.stopped_by})` : ''} | ${l.target} | ${f(l.connections)} | ${f(l.knee_deliveries_per_s ?? l.deliveries_per_s, 0)} | ${f(l.loss, 4)} | ${f(l.p50_ms)} | ${f(l.p95_ms)} | ${f(l.p99_ms)} | ${f(l.max_ms)} | ${f(l.server_cpu_us_per_delivery, 1)} | ${f(l.rss_kb_per_conn, 1)} | ${f(l.generator_cpu_pct, 0)} |`),
];

const steps = lines.filter((l) => l.scenario.endsWith('-step'));
const stepTable = steps.length === 0 ? [] : [
  '', 'Saturation steps:', '',
  '| system | publishes/s | deliveries/s | loss | p99 ms | server CPU µs/delivery | generator CPU % |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...steps.map((l) => `| ${l.target} | ${f(l.rate, 0)}${l.refining ? ' (bisection)' : ''} | ${f(l.deliveries_per_s, 0)} | ${f(l.loss, 4)} | ${f(l.p99_ms)} | ${f(l.server_cpu_us_per_delivery, 1)} | ${f(l.generator_cpu_pct, 0)} |`),
];

const verdict = (ok) => (ok === null ? 'not measured' : ok ? '**met**' : '**missed**');
// The same generator on both sides of a ratio. The Redis target: the median of the interleaved rounds (light
// generator) when they ran, else the single Node (as for Socket.IO) or Hubs.Client rows.
const median = (xs) => { const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b); return v.length === 0 ? null : v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2; };
const rounds = (target) => lines.filter((l) => l.target === target && l.round);
const summarize = (rs) => rs.length === 0 ? null : {
  target: rs[0].target, rounds: rs.length, loss: Math.max(...rs.map((r) => r.loss ?? 1)),
  p99_ms: median(rs.map((r) => r.p99_ms)), server_cpu_us_per_delivery: median(rs.map((r) => r.server_cpu_us_per_delivery)),
  range: (k) => `${f(Math.min(...rs.map((r) => r[k])), 1)}–${f(Math.max(...rs.map((r) => r[k])), 1)}`,
  // µs per delivery of each server process (in --server-pids order), where the generator recorded the split.
  split: rs.every((r) => Array.isArray(r.server_cpu_s_by_pid) && r.deliveries)
    ? rs[0].server_cpu_s_by_pid.map((_, i) => median(rs.map((r) => r.server_cpu_s_by_pid[i] * 1e6 / r.deliveries)))
    : null,
};
const redisRounds = summarize(rounds('hubs-redis-2-raw'));
const plainRounds = summarize(rounds('plain-signalr-raw'));
const redis = redisRounds && plainRounds ? redisRounds : find('fanout-redis', 'hubs-redis-2-js') ?? find('fanout-redis', 'hubs-redis-2');
const plain = redisRounds && plainRounds ? plainRounds : redis?.target.endsWith('-js') ? find('fanout-1', 'plain-signalr-js') : find('fanout-1', 'plain-signalr');
const redisMeasured = !redis || !plain ? '–' : redis.rounds
  ? `median of ${redis.rounds} interleaved rounds: loss ${f(redis.loss, 4)}, p99 ${f(redis.p99_ms)} ms (rounds ${redis.range('p99_ms')}; plain SignalR ${f(plain.p99_ms)}), ${f(redis.server_cpu_us_per_delivery, 1)} vs ${f(plain.server_cpu_us_per_delivery, 1)} µs (rounds ${redis.range('server_cpu_us_per_delivery')} vs ${plain.range('server_cpu_us_per_delivery')})${redis.split?.length === 2 ? `; of the ${f(redis.server_cpu_us_per_delivery, 1)} µs, the subscribers' instance ${f(redis.split[0], 1)} and the publishing instance ${f(redis.split[1], 1)}` : ''}`
  : `loss ${f(redis.loss, 4)}, p99 ${f(redis.p99_ms)} ms, ${f(redis.server_cpu_us_per_delivery, 1)} vs ${f(plain.server_cpu_us_per_delivery, 1)} µs`;
const idle = find('idle', 'hubs');
const plainIdle = find('idle', 'plain-signalr');
// Knees compared client for client: the light generators when both ran, else the client libraries.
const [hubsRaw, sioRaw, hubsLib, sioLib] = ['hubs-redis-raw', 'socketio-redis-raw', 'hubs-redis-js', 'socketio-redis'].map((t) => find('saturation', t));
const lightKnees = hubsRaw && sioRaw;
const hubsKnee = lightKnees ? hubsRaw : hubsLib ?? lines.find((l) => l.scenario === 'saturation' && l.target.startsWith('hubs'));
const sioKnee = lightKnees ? sioRaw : sioLib;
const libKnees = lightKnees && hubsLib && sioLib ? [hubsLib, sioLib] : null;
// The floor peer (Kestrel's WebSockets without SignalR): a reference beside the targets, not a system under test.
const [bareIdle, bareKnee] = [find('idle', 'bare-kestrel'), find('saturation', 'bare-kestrel-raw')];
const kneeRatio = (h, s) => (s.knee_deliveries_per_s ? `${f(h.knee_deliveries_per_s / s.knee_deliveries_per_s)}x` : 'no ratio');
// The legacy ratio: medians of the interleaved rounds (older results files have one unnumbered pair).
const legacy = summarize(rounds('hubs-legacy')) ?? find('incidents', 'hubs-legacy');
const signalr = summarize(rounds('hubs-signalr')) ?? find('incidents', 'hubs-signalr');
const targets = [
  ['Redis fan-out 20k/s, two instances: zero loss, p99 <= 10 ms, CPU/delivery <= plain SignalR',
    redisMeasured,
    verdict(redis && plain ? redis.loss === 0 && redis.p99_ms <= 10 && redis.server_cpu_us_per_delivery <= plain.server_cpu_us_per_delivery : null)],
  ['Idle: >= 15,000 connections, <= 10 KB RSS each',
    idle ? `${idle.connections} connections, ${f(idle.rss_kb_per_conn, 1)} KB each${plainIdle ? ` (plain SignalR: ${plainIdle.connections}, ${f(plainIdle.rss_kb_per_conn, 1)} KB)` : ''}` : '–',
    verdict(idle ? idle.connections >= 15000 && idle.rss_kb_per_conn <= 10 : null)],
  ['Saturation knee >= 2x Socket.IO (Redis adapter)',
    hubsKnee && sioKnee ? `${f(hubsKnee.knee_deliveries_per_s, 0)} vs ${f(sioKnee.knee_deliveries_per_s, 0)} deliveries/s (${kneeRatio(hubsKnee, sioKnee)}; Hubs ${hubsKnee.target})` : '–',
    hubsKnee && sioKnee && sioKnee.knee_deliveries_per_s === 0 ? 'not determined (no Socket.IO step passed)' : verdict(hubsKnee && sioKnee ? hubsKnee.knee_deliveries_per_s >= 2 * sioKnee.knee_deliveries_per_s : null)],
  ...(libKnees ? [['… the same with the client libraries (@microsoft/signalr, socket.io-client)',
    `${f(libKnees[0].knee_deliveries_per_s, 0)} vs ${f(libKnees[1].knee_deliveries_per_s, 0)} deliveries/s (${kneeRatio(...libKnees)})`,
    verdict(libKnees[0].knee_deliveries_per_s >= 2 * libKnees[1].knee_deliveries_per_s)]] : []),
  ...(bareIdle || bareKnee ? [['… floor for reference: Kestrel WebSockets without SignalR (bench/peers/BareWebSocket)',
    [bareIdle && `idle ${bareIdle.connections} connections, ${f(bareIdle.rss_kb_per_conn, 1)} KB each`,
      bareKnee && sioKnee && `knee ${f(bareKnee.knee_deliveries_per_s, 0)} deliveries/s (${kneeRatio(bareKnee, sioKnee)} Socket.IO's)`].filter(Boolean).join('; '),
    'reference']] : []),
  ['Legacy incident /ws <= 1.2x SignalR CPU per delivery',
    legacy && signalr ? `${legacy.rounds ? `median of ${legacy.rounds} interleaved rounds: ` : ''}${f(legacy.server_cpu_us_per_delivery, 1)} vs ${f(signalr.server_cpu_us_per_delivery, 1)} µs (${f(legacy.server_cpu_us_per_delivery / signalr.server_cpu_us_per_delivery)}x${legacy.rounds ? `; rounds ${legacy.range('server_cpu_us_per_delivery')} vs ${signalr.range('server_cpu_us_per_delivery')}` : ''})` : '–',
    verdict(legacy && signalr ? legacy.server_cpu_us_per_delivery <= 1.2 * signalr.server_cpu_us_per_delivery : null)],
];

const md = [
  `# Benchmark results${quick === '1' ? ' (--quick smoke run: sizes too small to mean anything)' : ''}`,
  '',
  `Machine: ${nproc} cores, ${cpuModel}, ${ramGb} GB RAM; ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}; load average at the end ${load}.`,
  'Server, peers, Redis and generators all run on this machine; CPU/delivery is the server process(es) only.',
  '',
  ...table,
  ...stepTable,
  '',
  '| target | measured | verdict |',
  '|---|---|---|',
  ...targets.map((t) => `| ${t.join(' | ')} |`),
  '',
].join('\n');
fs.writeFileSync(output, md);
console.log(md);
