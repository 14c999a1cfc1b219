#!/usr/bin/env bash
# Soak test: the packaged server under many subscribers and steady publishing; see "Soak test" in README.md.
# Settings (environment): CONNECTIONS (5000), CHANNELS (100), DURATION (10m), RATE (50 messages/s),
# SIZE (100 bytes), WARM_UP (30s), PORT (28088), SKIP_BUILD (unset), and SERVER_JAVA_OPTS: by default a fixed,
# pre-touched 512 MiB heap (as a container with a memory limit would size it), so that RSS drift shows memory the
# heap does not account for (direct buffers, threads, metaspace); the heap's own leaks show in "heap after GC".
# Prints progress, a table and one line "SOAK_RESULT {json}"; exits non-zero when a message was lost, the server's
# RSS drifted by 10 % or more, or its open files did not return to the baseline after the clients left.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-28088}"
MANAGEMENT_PORT="${MANAGEMENT_PORT:-$((PORT + 1))}"
KEY="soak-$RANDOM$RANDOM"
LOG="target/soak-server.log"

# Every subscriber costs the server and the load tool one open file each.
ulimit -n "$(ulimit -Hn)"
needed=$(( ${CONNECTIONS:-5000} + 1000 ))
if [ "$(ulimit -n)" -lt "$needed" ]; then
  echo "open files are limited to $(ulimit -n); ${CONNECTIONS:-5000} connections need $needed" >&2
  exit 2
fi

if [ -z "${SKIP_BUILD:-}" ]; then
  ./mvnw -q -B package -DskipTests
  ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/soak-classpath.txt
fi

# The packaged jar under a name of its own (a link beside it: its class path stays relative to the same folder), in a
# session of its own: on a shared machine, clean-ups of other quarkus-run.jar processes or signals meant for this
# script's process group do not stop the server mid-run.
ln -sf quarkus-run.jar target/quarkus-app/wsc-soak.jar
WSC_ACCESS_KEY="$KEY" setsid java ${SERVER_JAVA_OPTS:--Xms512m -Xmx512m -XX:+AlwaysPreTouch} \
  -Dquarkus.http.port="$PORT" -Dquarkus.management.port="$MANAGEMENT_PORT" \
  -jar target/quarkus-app/wsc-soak.jar >"$LOG" 2>&1 </dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  if curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" >/dev/null; then
    break
  fi
  kill -0 "$server" 2>/dev/null || { echo "the server did not start:" >&2; cat "$LOG" >&2; exit 2; }
  sleep 0.2
done

echo "soak: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB, $(java -version 2>&1 | head -1)"
echo "soak: server pid $server on port $PORT, log in $LOG"
status=0
java -cp "target/test-classes:$(cat target/soak-classpath.txt)" io.wsc.load.LoadRun \
  --url="http://127.0.0.1:$PORT/" --access-key="$KEY" --server-pid="$server" || status=$?
if ! kill -0 "$server" 2>/dev/null; then
  wait "$server" && code=0 || code=$?
  echo "soak: the server exited during the run (status $code); the end of its log:" >&2
  grep -v '^\s*at ' "$LOG" | tail -5 >&2
  status=1
fi
echo "soak: server log errors: $(grep -c ' ERROR ' "$LOG" || true)"
exit "$status"
