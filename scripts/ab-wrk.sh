#!/usr/bin/env bash
# Two builds of wsc against each other under publish-only load (the kit's c0: wrk, 2 threads, 32 connections,
# 100-byte bodies, no subscriber), in alternating runs: A, B, A, B, ... Each run starts the build through bin/wsc
# (the README's JVM options), warms it up with an unrecorded 10 s of the same load, then records 10 s: POST/s, wrk's
# p99 and the server's CPU per POST (user + system from /proc). Loopback only; needs wrk (../shared/bench/setup.sh).
# Usage: scripts/ab-wrk.sh JAR_A JAR_B [RUNS]   (RUNS pairs, default 4; PORT 8288, management PORT+1000)
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -ge 2 ] || { echo "usage: scripts/ab-wrk.sh JAR_A JAR_B [RUNS]" >&2; exit 2; }
jars=("$1" "$2")
runs=${3:-4}
PORT=${PORT:-8288}
MANAGEMENT_PORT=$((PORT + 1000))
LUA=${LUA:-../shared/bench/post.lua}
command -v wrk >/dev/null || { echo "ab-wrk: wrk is not installed (../shared/bench/setup.sh)" >&2; exit 2; }
for jar in "${jars[@]}"; do [ -f "$jar" ] || { echo "ab-wrk: no $jar" >&2; exit 2; }; done
ticks_per_second=$(getconf CLK_TCK)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

one_run() { # jar label
  local key="ab-$RANDOM$RANDOM" server out before after
  QUARKUS_MANAGEMENT_PORT="$MANAGEMENT_PORT" WSC_JAR="$(realpath "$1")" \
    setsid bin/wsc "$key" --host 127.0.0.1 --port "$PORT" >/dev/null 2>&1 </dev/null &
  until curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" >/dev/null 2>&1; do sleep 0.2; done
  server=$(pgrep -f -- "quarkus-run.jar $key")
  KEY="$key" SIZE=100 wrk -t2 -c32 -d10s -s "$LUA" "http://127.0.0.1:$PORT/bench/wrk/c0" >/dev/null
  before=$(cpu_ticks "$server")
  out=$(KEY="$key" SIZE=100 wrk -t2 -c32 -d10s -s "$LUA" "http://127.0.0.1:$PORT/bench/wrk/c0" | grep '^{')
  after=$(cpu_ticks "$server")
  kill "$server"; while kill -0 "$server" 2>/dev/null; do sleep 0.1; done
  python3 -c '
import json, sys
r = json.loads(sys.argv[1]); cpu = (int(sys.argv[3]) - int(sys.argv[2])) / int(sys.argv[4])
print("| %s | %.0f | %.2f | %.1f | %d |" % (sys.argv[5], r["rps"], r["lat_p99_ms"], cpu * 1e6 / r["requests"],
      r["non2xx3xx"] + r["connect_err"] + r["read_err"] + r["write_err"] + r["timeout"]))
' "$out" "$before" "$after" "$ticks_per_second" "$2"
}

echo "A: ${jars[0]}"
echo "B: ${jars[1]}"
echo
echo "| build | POST/s | p99 ms | µs CPU per POST | errors |"
echo "|---|---|---|---|---|"
for _ in $(seq 1 "$runs"); do
  one_run "${jars[0]}" A
  one_run "${jars[1]}" B
done
