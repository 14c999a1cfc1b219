#!/usr/bin/env bash
# Start-up time of the packaged server: wall time from launching the JVM to the first 200 from readiness
# (/q/health/ready on the management port). Runs it RUNS times and prints each time and the median, in ms.
# Settings (environment): RUNS (5), PORT (28088), MANAGEMENT_PORT (PORT + 1), JAVA (java), JAVA_OPTS (the options
# the README recommends, read from bin/wsc; set it, even empty, to measure others), JAR (target/quarkus-app/quarkus-run.jar).
# Needs the packaged jar (./mvnw package -DskipTests) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-5}"
PORT="${PORT:-28088}"
MANAGEMENT_PORT="${MANAGEMENT_PORT:-$((PORT + 1))}"
JAVA="${JAVA:-java}"
JAR="${JAR:-target/quarkus-app/quarkus-run.jar}"
if [ -z "${JAVA_OPTS+set}" ]; then
  JAVA_OPTS=$(scripts/recommended-java-opts.sh "$JAR") # what bin/wsc runs with
fi
if [ ! -f "$JAR" ]; then
  echo "$JAR not found: build it with ./mvnw package -DskipTests" >&2
  exit 2
fi
ready_url="http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready"
if curl -s -o /dev/null "$ready_url"; then
  echo "something already answers on $ready_url: pick another PORT" >&2
  exit 2
fi
echo "java: $("$JAVA" -version 2>&1 | head -1); options: ${JAVA_OPTS:-none}" >&2

server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null || true' EXIT
times=()
for run in $(seq 1 "$RUNS"); do
  start=$(date +%s%N)
  # shellcheck disable=SC2086 # JAVA_OPTS holds several options
  # From the jar's folder, as bin/wsc runs it: the class-data archive names the jar relative to it.
  (cd "$(dirname "$JAR")" && WSC_ACCESS_KEY="startup-$RANDOM" QUARKUS_HTTP_PORT="$PORT" \
    QUARKUS_MANAGEMENT_PORT="$MANAGEMENT_PORT" exec "$JAVA" $JAVA_OPTS -jar "$(basename "$JAR")" >/dev/null 2>&1 </dev/null) &
  server=$!
  ready=""
  for _ in $(seq 1 3000); do # 10 ms apart: at most about 30 s
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$ready_url")" = 200 ]; then
      ready=$(date +%s%N)
      break
    fi
    if ! kill -0 "$server" 2>/dev/null; then
      echo "run $run: the server exited before it was ready" >&2
      exit 1
    fi
    sleep 0.01
  done
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=""
  if [ -z "$ready" ]; then
    echo "run $run: not ready within 30 s" >&2
    exit 1
  fi
  ms=$(( (ready - start) / 1000000 ))
  times+=("$ms")
  echo "run $run: ${ms} ms" >&2
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }')
echo "start-up to readiness, median of $RUNS: ${median} ms"
