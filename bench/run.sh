#!/usr/bin/env bash
# Runs the whole benchmark: builds, starts redis-server, Hubs, the peers on loopback, runs every scenario, writes
# bench/results/latest.json (one JSON line per scenario) and bench/results/latest.md (the table). --quick: small
# sizes, a smoke run of the tooling (numbers mean nothing). Every process started here is stopped on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/bench"
RESULTS="$BENCH/results"
QUICK=0
[[ "${1:-}" == "--quick" ]] && QUICK=1
mkdir -p "$RESULTS"
# Two runs at once would load the same two cores and overwrite each other's results: the second refuses to start.
exec 9>"${TMPDIR:-/tmp}/hubs-bench.lock"
flock -n 9 || { echo "bench/run.sh is already running on this machine (lock ${TMPDIR:-/tmp}/hubs-bench.lock)" >&2; exit 1; }
OUT="$RESULTS/latest.json"
LOGS="$RESULTS/logs"
mkdir -p "$LOGS"
: > "$OUT"

# Idle connections are bounded by open files: raise the soft limit to the hard one (inherited by every child).
ulimit -n "$(ulimit -Hn)"
NOFILE="$(ulimit -n)"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

say() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }

# ---- sizes
if [[ $QUICK == 1 ]]; then
  SUBS=200; RATE=50; DURATION=4; WARMUP=1; IDLE=2000; STREAMS=40; STEPS=3; SAT_RATE=50; INC_SUBS=200; INC_RATE=40; WORKERS=2; JS_WORKERS=2; ROUNDS=1
else
  SUBS=1000; RATE=200; DURATION=10; WARMUP=15; IDLE=$((NOFILE - 500)); STREAMS=500; STEPS=10; SAT_RATE=100; INC_SUBS=1000; INC_RATE=40; WORKERS=4; JS_WORKERS=2; ROUNDS=3
fi
# Saturation steps of x1.25 (100 publishes/s = 10,000 deliveries/s first), then two bisection steps between the last
# rate that held and the first that did not (gen.mjs --refine), so a knee ratio is not a power of the step size.
SAT_FACTOR=1.25

# ---- what the bench starts for real and a fresh machine may lack (Debian packages, as scripts/test.sh installs them)
need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
if ((${#need_apt[@]})); then
  say "installing ${need_apt[*]}"
  SUDO=""; [[ "$(id -u)" -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# ---- build
say "building (Release)"
dotnet build "$ROOT/Hubs.Server" -c Release -v q -nologo >/dev/null
dotnet build "$BENCH/Hubs.Bench" -c Release -v q -nologo >/dev/null
dotnet build "$BENCH/peers/PlainSignalR" -c Release -v q -nologo >/dev/null
dotnet build "$BENCH/peers/BareWebSocket" -c Release -v q -nologo >/dev/null
for dir in "$BENCH/js" "$BENCH/peers/socketio"; do
  if [[ ! -d "$dir/node_modules" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); fi
done
BENCHDLL="$BENCH/Hubs.Bench/bin/Release/net10.0/Hubs.Bench.dll"
SERVERDIR="$ROOT/Hubs.Server/bin/Release/net10.0"
PLAINDIR="$BENCH/peers/PlainSignalR/bin/Release/net10.0"
BAREDIR="$BENCH/peers/BareWebSocket/bin/Release/net10.0"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 120); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done; say "no answer from $1"; return 1; }
stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# Limits that would cap load are off (the slow-consumer queue, Delivery:MaxPendingMessages, stays at its default:
# a subscriber that falls 1,000 messages behind is a loss the saturation step must see); Development (anonymous, development key); Release; warnings only.
HUBS_ARGS=(--environment Development --Logging:LogLevel:Default=Warning --Limits:MessagesPerMinutePerUser=0
  --Limits:MaxConnectionsPerUser=0 --Limits:PublishRequestsPerMinute=0 --Generation:TemplateChunkDelay=00:00:00.020)

start_hubs() { # name port [extra args...]; sets LAST_PID
  local name=$1 port=$2; shift 2
  (cd "$SERVERDIR" && exec dotnet Hubs.Server.dll --urls "http://127.0.0.1:$port" "${HUBS_ARGS[@]}" "$@" >"$LOGS/$name.log" 2>&1) &
  LAST_PID=$!; PIDS+=("$LAST_PID")
  wait_http "http://127.0.0.1:$port/health"
}

start_peer() { # log name, build dir, dll, port; sets LAST_PID
  (cd "$2" && exec dotnet "$3" --urls "http://127.0.0.1:$4" --Logging:LogLevel:Default=Warning >>"$LOGS/$1.log" 2>&1) &
  LAST_PID=$!; PIDS+=("$LAST_PID"); wait_http "http://127.0.0.1:$4/health"
}

bench_cs() { dotnet "$BENCHDLL" "$@" --out "$OUT" --duration "$DURATION" --warmup "$WARMUP" --workers "$WORKERS" || say "scenario failed: $*"; }
bench_js() { (cd "$BENCH/js" && node gen.mjs "$@" --out "$OUT" --duration "$DURATION" --warmup "$WARMUP" --workers "$JS_WORKERS") || say "scenario failed: $*"; }

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$LOGS/redis.log" 2>&1 &
PIDS+=($!); REDIS_PID=$!
for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
REDIS="127.0.0.1:$REDIS_PORT"

# Does this build have the Redis backplane and the legacy /ws endpoint? (Probed, so the script runs on any branch.)
HAS_REDIS=0; grep -rqs "RedisHubLifetimeManager" "$ROOT/Hubs.Server" --include=*.cs && HAS_REDIS=1

# ---- 1. idle connections (one instance, in-memory)
P=$(free_port); start_hubs idle "$P"; PID=$LAST_PID
say "idle: $IDLE connections (open files limit $NOFILE)"
bench_cs idle --target hubs --url "http://127.0.0.1:$P/hubs/projects" --server-pids "$PID" --connections "$IDLE"
stop_pid "$PID"

# ---- 2a. fan-out, one instance: Hubs (.NET and JS clients), plain SignalR
P=$(free_port); start_hubs single "$P"; PID=$LAST_PID
say "fan-out: Hubs, one instance"
bench_cs fanout --scenario fanout-1 --target hubs --url "http://127.0.0.1:$P/hubs/projects" --pub-url "http://127.0.0.1:$P" --server-pids "$PID" --subscribers "$SUBS" --rate "$RATE"
bench_js fanout --scenario fanout-1 --target hubs-js --mode signalr --url "http://127.0.0.1:$P" --server-pids "$PID" --subscribers "$SUBS" --rate "$RATE"

# ---- 4. generation streams
say "generation: $STREAMS concurrent streams"
bench_cs generation --target hubs --url "http://127.0.0.1:$P/hubs/generation" --server-pids "$PID" --streams "$STREAMS"

# ---- 5. incidents: legacy /ws with filters vs the SignalR path, interleaved rounds (a single pair moved 1.05x → 1.22x
# between two runs of the same build)
say "incidents: SignalR vs legacy /ws, $ROUNDS interleaved rounds"
for round in $(seq 1 "$ROUNDS"); do
  bench_js incidents --scenario incidents --target hubs-signalr --round "$round" --mode signalr-incidents --url "http://127.0.0.1:$P" --server-pids "$PID" --subscribers "$INC_SUBS" --rate "$INC_RATE"
  bench_js incidents --scenario incidents --target hubs-legacy --round "$round" --mode legacy --url "http://127.0.0.1:$P" --server-pids "$PID" --subscribers "$INC_SUBS" --rate "$INC_RATE"
done
stop_pid "$PID"

start_plain() { start_peer plain "$PLAINDIR" PlainSignalR.dll "$1"; } # port; sets LAST_PID
P=$(free_port); start_plain "$P"; PID=$LAST_PID
say "idle: plain SignalR, $IDLE connections (the baseline for RSS/connection)"
bench_cs idle --target plain-signalr --url "http://127.0.0.1:$P/hubs/projects" --server-pids "$PID" --connections "$IDLE"
stop_pid "$PID"
P=$(free_port); start_plain "$P"; PID=$LAST_PID
say "fan-out: plain SignalR, in-memory"
bench_cs fanout --scenario fanout-1 --target plain-signalr --url "http://127.0.0.1:$P/hubs/projects" --pub-url "http://127.0.0.1:$P" --server-pids "$PID" --subscribers "$SUBS" --rate "$RATE"
bench_js fanout --scenario fanout-1 --target plain-signalr-js --mode signalr --url "http://127.0.0.1:$P" --server-pids "$PID" --subscribers "$SUBS" --rate "$RATE"
stop_pid "$PID"

# ---- 2b. through Redis: two Hubs instances, publisher on the other one
if [[ $HAS_REDIS == 1 ]]; then
  PA=$(free_port); start_hubs redis-a "$PA" --Redis:Configuration="$REDIS"; PIDA=$LAST_PID
  PB=$(free_port); start_hubs redis-b "$PB" --Redis:Configuration="$REDIS"; PIDB=$LAST_PID
  say "fan-out: two Hubs instances through Redis"
  bench_cs fanout --scenario fanout-redis --target hubs-redis-2 --url "http://127.0.0.1:$PA/hubs/projects" --pub-url "http://127.0.0.1:$PB" --server-pids "$PIDA,$PIDB" --subscribers "$SUBS" --rate "$RATE"
  bench_js fanout --scenario fanout-redis --target hubs-redis-2-js --mode signalr --url "http://127.0.0.1:$PA" --pub-url "http://127.0.0.1:$PB" --server-pids "$PIDA,$PIDB" --subscribers "$SUBS" --rate "$RATE"

  # The target pair (two Hubs instances through Redis vs plain SignalR on one), interleaved: this machine drifts by
  # ±20% within minutes, so the verdict uses the median of $ROUNDS alternating rounds, both sides warmed the same way
  # and driven by the same light generator.
  PP=$(free_port); start_plain "$PP"; PIDP=$LAST_PID
  bench_js fanout --scenario warm --target plain --mode signalr-raw --url "http://127.0.0.1:$PP" --server-pids "$PIDP" --subscribers "$SUBS" --rate "$RATE"
  say "fan-out: Hubs through Redis vs plain SignalR, $ROUNDS interleaved rounds"
  for round in $(seq 1 "$ROUNDS"); do
    bench_js fanout --scenario fanout-redis --target hubs-redis-2-raw --round "$round" --mode signalr-raw --url "http://127.0.0.1:$PA" --pub-url "http://127.0.0.1:$PB" --server-pids "$PIDA,$PIDB" --subscribers "$SUBS" --rate "$RATE"
    bench_js fanout --scenario fanout-1 --target plain-signalr-raw --round "$round" --mode signalr-raw --url "http://127.0.0.1:$PP" --server-pids "$PIDP" --subscribers "$SUBS" --rate "$RATE"
  done
  stop_pid "$PIDP"
  stop_pid "$PIDB"
fi

# ---- Socket.IO 4.8 + redis adapter: fan-out (its saturation runs below, alternating with Hubs')
SP=$(free_port)
(cd "$BENCH/peers/socketio" && PORT=$SP REDIS_URL="redis://$REDIS" exec node server.mjs >"$LOGS/socketio.log" 2>&1) &
SPID=$!; PIDS+=("$SPID"); wait_http "http://127.0.0.1:$SP/health"
say "fan-out: Socket.IO with the Redis adapter"
bench_js fanout --scenario fanout-1 --target socketio-redis --mode socketio --url "http://127.0.0.1:$SP" --server-pids "$SPID,$REDIS_PID" --subscribers "$SUBS" --rate "$RATE"

# ---- floor: Kestrel's WebSockets alone (bench/peers/BareWebSocket), the fan-out's wire traffic without SignalR. Not a
# system to ship; it bounds what any server on Kestrel reaches on this machine (idle memory, CPU, knee).
start_bare() { start_peer bare "$BAREDIR" BareWebSocket.dll "$1"; } # port; sets LAST_PID
P=$(free_port); start_bare "$P"; PID=$LAST_PID
say "floor: bare Kestrel WebSockets, $IDLE idle connections"
bench_cs idle --target bare-kestrel --url "http://127.0.0.1:$P/hubs/projects" --server-pids "$PID" --connections "$IDLE"
stop_pid "$PID"
BP=$(free_port); start_bare "$BP"; BPID=$LAST_PID
say "floor: bare Kestrel WebSockets, fan-out"
bench_js fanout --scenario fanout-1 --target bare-kestrel-raw --mode signalr-raw --url "http://127.0.0.1:$BP" --server-pids "$BPID" --subscribers "$SUBS" --rate "$RATE"

# ---- 3. saturation: the systems a knee ratio compares search in alternation, step by step (gen.mjs --url2/--url3),
# so they meet the machine in the same minutes. Light clients: Hubs (one instance with Redis), Socket.IO (Redis
# adapter) and the floor; then the client libraries: Hubs and Socket.IO.
SIO=(--url2 "http://127.0.0.1:$SP" --server-pids2 "$SPID,$REDIS_PID")
FLOOR=(--url3 "http://127.0.0.1:$BP" --server-pids3 "$BPID" --target3 bare-kestrel-raw --mode3 signalr-raw)
if [[ $HAS_REDIS == 1 ]]; then
  say "saturation, alternating: Hubs (one instance, Redis), Socket.IO and the floor with light clients"
  bench_js saturation --target hubs-redis-raw --mode signalr-raw --url "http://127.0.0.1:$PA" --server-pids "$PIDA,$REDIS_PID" "${SIO[@]}" --target2 socketio-redis-raw --mode2 socketio-raw "${FLOOR[@]}" --subscribers "$SUBS" --rate "$SAT_RATE" --factor "$SAT_FACTOR" --max-steps "$STEPS"
  say "saturation, alternating: Hubs and Socket.IO with their client libraries"
  bench_js saturation --target hubs-redis-js --mode signalr --url "http://127.0.0.1:$PA" --server-pids "$PIDA,$REDIS_PID" "${SIO[@]}" --target2 socketio-redis --mode2 socketio --subscribers "$SUBS" --rate "$SAT_RATE" --factor "$SAT_FACTOR" --max-steps "$STEPS"
  stop_pid "$PIDA"
else
  say "no Redis backplane in this build: saturation of Socket.IO and the floor only"
  bench_js saturation --target socketio-redis-raw --mode socketio-raw --url "http://127.0.0.1:$SP" --server-pids "$SPID,$REDIS_PID" --url2 "http://127.0.0.1:$BP" --server-pids2 "$BPID" --target2 bare-kestrel-raw --mode2 signalr-raw --subscribers "$SUBS" --rate "$SAT_RATE" --factor "$SAT_FACTOR" --max-steps "$STEPS"
fi
stop_pid "$SPID"
stop_pid "$BPID"

node "$BENCH/report.mjs" "$OUT" "$RESULTS/latest.md" "$QUICK"
say "wrote $OUT and $RESULTS/latest.md"
