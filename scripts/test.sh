#!/usr/bin/env bash
# Installs whatever the test suite needs that this machine lacks, then runs every test (.NET and JavaScript).
# Idempotent: on a machine that already has everything it installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[test.sh] %s\n' "$*"; }

# --- Debian packages the tests start for real -------------------------------------------------
need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v nginx        >/dev/null 2>&1 || need_apt+=(nginx)
command -v promtool     >/dev/null 2>&1 || need_apt+=(prometheus)
command -v node         >/dev/null 2>&1 || need_apt+=(nodejs npm)
if ((${#need_apt[@]})); then
  log "installing ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
# The packaged services must not hold the ports or files the tests use.
for svc in redis-server nginx prometheus; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then systemctl stop "$svc" || true; fi
done

# --- Node modules for the JavaScript client tests ----------------------------------------------
for dir in Hubs.Tests/js; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

# --- Build and run everything ------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log "dotnet build"
dotnet build Hubs.sln -c Release -nologo -v q
log "dotnet test"
set +e
dotnet test Hubs.sln -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee /tmp/hubs-test-output.txt
status=${PIPESTATUS[0]}
set -e
count() { { grep -E "^ +$1: +[0-9]+" /tmp/hubs-test-output.txt || true; } | awk '{s+=$2} END {print s+0}'; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
