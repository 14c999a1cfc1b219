#!/usr/bin/env bash
# Starts or stops the packaged wsc for a benchmark, through bin/wsc (so with the README's JVM options), on 127.0.0.1.
#   scripts/bench-server.sh start   (re)starts it, waits until it is ready, prints the JVM's pid
#   scripts/bench-server.sh stop
# Settings (environment): PORT (8188; management port PORT+1000), KEY (required for start), STATE (target/bench-server:
# its pid and log go there). compare-nchan.sh runs it before every wsc run when it measures freshly started servers.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8188}
STATE=${STATE:-target/bench-server}
mkdir -p "$STATE"

stop() {
  local pid
  pid=$(cat "$STATE/pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$STATE/pid"
}

start() {
  : "${KEY:?bench-server: set KEY}"
  local management=$((PORT + 1000)) launched server
  stop
  ulimit -n 20000
  # A session of its own: signals meant for the benchmark's process group do not reach the server mid-run.
  QUARKUS_MANAGEMENT_PORT="$management" setsid bin/wsc "$KEY" --host 127.0.0.1 --port "$PORT" \
    >"$STATE/server.log" 2>&1 </dev/null &
  launched=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$management/q/health/ready" >/dev/null && break
    kill -0 "$launched" 2>/dev/null || { echo "bench-server: the server did not start:" >&2; cat "$STATE/server.log" >&2; exit 2; }
    sleep 0.2
  done
  # The JVM's own pid, for its memory and CPU figures (setsid may have forked): the key names it.
  server=$(pgrep -f -- "quarkus-run.jar $KEY") || { echo "bench-server: the server is not running:" >&2; cat "$STATE/server.log" >&2; exit 2; }
  echo "$server" >"$STATE/pid"
  echo "$server"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
