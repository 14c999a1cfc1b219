#!/usr/bin/env bash
# Idle-connection memory of the packaged server: starts it fresh, lets it settle, opens SUBS WebSockets on one
# channel with the bench kit's load generator (../shared/bench/loadgen.js, or BENCH), holds them idle for HOLD
# seconds, then prints the server's RSS and Pss before and after, and the RSS per connection (delta / SUBS).
# Settings (environment): SUBS (10000), HOLD (10), PORT (28388), MANAGEMENT_PORT (PORT + 1), JAVA (java),
# JAVA_OPTS (the options bin/wsc uses by default, with the archive; set it, even empty, to measure others), HISTO (set: write
# jcmd GC.class_histogram before and after to target/idle-histo-{idle,conn}.txt), NMT (set: write
# jcmd VM.native_memory summary.diff, connected against idle, to target/idle-nmt-diff.txt; add
# -XX:NativeMemoryTracking=summary to JAVA_OPTS), HEAPDUMP (set: write a heap dump of live objects while connected to
# target/idle-conn.hprof, for scripts/heap-owners.py).
# Needs the packaged jar (./mvnw package -DskipTests), node and an open-file limit above SUBS.
set -euo pipefail
cd "$(dirname "$0")/.."

SUBS="${SUBS:-10000}"
HOLD="${HOLD:-10}"
PORT="${PORT:-28388}"
MANAGEMENT_PORT="${MANAGEMENT_PORT:-$((PORT + 1))}"
JAVA="${JAVA:-java}"
BENCH="${BENCH:-../shared/bench}"
if [ -z "${JAVA_OPTS+set}" ]; then
  JAVA_OPTS=$(scripts/recommended-java-opts.sh "${JAR:-target/quarkus-app/quarkus-run.jar}") # what bin/wsc runs with
fi
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((SUBS + 500)) ]; then
  echo "open files are limited to $(ulimit -n); $SUBS connections need more" >&2
  exit 2
fi
KEY="mem-$RANDOM$RANDOM"
LOG="target/idle-memory-server.log"

(cd target/quarkus-app && WSC_ACCESS_KEY="$KEY" QUARKUS_HTTP_PORT="$PORT" QUARKUS_MANAGEMENT_PORT="$MANAGEMENT_PORT" \
  exec "$JAVA" $JAVA_OPTS -jar quarkus-run.jar) >"$LOG" 2>&1 </dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -sf -o /dev/null "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" && break
  sleep 0.1
done
sleep 5 # start-up work (JIT, lazy init) settles

mem() { # RSS and Pss in KB
  echo "$(awk '/^VmRSS/ { print $2 }' "/proc/$server/status") $(awk '/^Pss:/ { print $2 }' "/proc/$server/smaps_rollup")"
}
[ -n "${HISTO:-}" ] && jcmd "$server" GC.class_histogram >target/idle-histo-idle.txt
[ -n "${NMT:-}" ] && jcmd "$server" VM.native_memory baseline >/dev/null
read -r idle_rss idle_pss <<<"$(mem)"
node "$BENCH/loadgen.js" --port "$PORT" --key "$KEY" --pid "$server" --subs "$SUBS" --channels 1 --messages 0 \
  --hold "$HOLD" --settle 1 >target/idle-memory-loadgen.json 2>target/idle-memory-loadgen.log &
loadgen=$!
# Sample near the end of the hold, while every connection is open and idle.
for _ in $(seq 1 600); do
  grep -q '^\[loadgen\] holding ' target/idle-memory-loadgen.log 2>/dev/null && break
  sleep 0.1
done
sleep "$((HOLD - 2))"
read -r conn_rss conn_pss <<<"$(mem)"
open=$(find "/proc/$server/fd" -maxdepth 1 | wc -l)
[ -n "${HISTO:-}" ] && jcmd "$server" GC.class_histogram >target/idle-histo-conn.txt
[ -n "${NMT:-}" ] && jcmd "$server" VM.native_memory summary.diff >target/idle-nmt-diff.txt
[ -n "${HEAPDUMP:-}" ] && rm -f target/idle-conn.hprof && jcmd "$server" GC.heap_dump "$PWD/target/idle-conn.hprof" >/dev/null
if ! wait "$loadgen"; then
  echo "the load generator failed (target/idle-memory-loadgen.log):" >&2
  tail -5 target/idle-memory-loadgen.log >&2
  exit 1
fi
echo "options: ${JAVA_OPTS:-none}"
echo "open files while connected: $open"
echo "RSS idle $((idle_rss / 1024)) MB -> connected $((conn_rss / 1024)) MB; Pss $((idle_pss / 1024)) -> $((conn_pss / 1024)) MB"
awk -v r=$((conn_rss - idle_rss)) -v p=$((conn_pss - idle_pss)) -v n="$SUBS" \
  'BEGIN { printf "per connection: RSS %.2f kB, Pss %.2f kB\n", r / n, p / n }'
