#!/usr/bin/env bash
# Benchmark: the standard scenarios against an already running server; see "Benchmark" in README.md.
# Usage: scripts/bench.sh [SCENARIO...] [--subs N --channels C --messages M --size S --rate R --concurrency K ...]
#   default scenarios: s a16 a5 b (also: a, smoke, and m with m1: multiplexed and single-channel); options are io.wsc.load.Benchmark's and change every scenario.
# Settings (environment): URL (http://127.0.0.1:8088/), ACCESS_KEY (required), SERVER_PID (optional: the server's
# RSS and CPU from /proc), BENCH_JAVA_OPTS (the load generator's JVM options; by default C1 only and the serial
# GC: a cold generator otherwise spends most of a short scenario compiling with C2, on the cores the server needs).
# Compiles the test classes when a source is newer than the class path file. Prints progress on stderr, then a
# markdown table and one JSON line; exits 1 when a message was lost or a publish failed.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${ACCESS_KEY:?set ACCESS_KEY to the access key of the server (and URL, SERVER_PID)}"
classpath=target/bench-classpath.txt

# Every subscriber is an open file of this process.
ulimit -n "$(ulimit -Hn)"

if [ ! -f "$classpath" ] || [ -n "$(find src pom.xml -newer "$classpath" -print -quit)" ]; then
  echo "bench: compiling the test classes" >&2
  ./mvnw -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath" >&2
  touch "$classpath"
fi

# The server may still be starting (e.g. started in the background just before).
url="${URL:-http://127.0.0.1:8088/}"
for _ in $(seq 1 150); do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "access-key: $ACCESS_KEY" "${url%/}/bench/ready" || true)
  case "$status" in
    200) break ;;
    000) sleep 0.2 ;;
    *) echo "bench: $url answered $status to a stats request with ACCESS_KEY" >&2; exit 2 ;;
  esac
done
[ "$status" = 200 ] || { echo "bench: nothing answers at $url" >&2; exit 2; }

exec java ${BENCH_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -cp "target/test-classes:$(cat "$classpath")" io.wsc.load.Benchmark \
  --url "$url" --access-key "$ACCESS_KEY" --pid "${SERVER_PID:-0}" "$@"
