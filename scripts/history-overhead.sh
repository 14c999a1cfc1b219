#!/usr/bin/env bash
# What opt-in history costs the fan-out: the project's benchmark (scenario a16 by default) against two servers started
# side by side from the same jar through bin/wsc, one with history off and one with wsc.history.size=HISTORY_SIZE,
# measured in alternating runs after one unrecorded warm-up run each. Prints each run and the medians' ratios
# (history on / off); see "History" in docs/BENCHMARKS.md.
# Settings (environment): SCENARIO (a16), RUNS (3 per server), HISTORY_SIZE (1000), PORT (8288: history off; PORT+100
# history on; management ports +1000), SKIP_BUILD (unset). Extra arguments go to the benchmark (e.g. --json).
set -euo pipefail
cd "$(dirname "$0")/.."

SCENARIO=${SCENARIO:-a16}
RUNS=${RUNS:-3}
HISTORY_SIZE=${HISTORY_SIZE:-1000}
PORT=${PORT:-8288}
KEY="history-$RANDOM$RANDOM"
ulimit -n 20000 || { echo "history-overhead: cannot raise open files to 20000 (hard limit $(ulimit -Hn))" >&2; exit 2; }

if [ -z "${SKIP_BUILD:-}" ]; then
  ./mvnw -q -B package -DskipTests
fi

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

# start NAME PORT HISTORY_SIZE: prints the JVM's pid once the server is ready.
start() {
  local log="target/history-overhead-$1.log" key="$KEY-$1"
  WSC_HISTORY_SIZE="$3" QUARKUS_MANAGEMENT_PORT=$(($2 + 1000)) \
    setsid bin/wsc "$key" --host 127.0.0.1 --port "$2" >"$log" 2>&1 </dev/null &
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$(($2 + 1000))/q/health/ready" >/dev/null && break
    sleep 0.2
  done
  pgrep -f -- "quarkus-run.jar $key" || { echo "history-overhead: the $1 server did not start:" >&2; cat "$log" >&2; exit 2; }
}

off_pid=$(start off "$PORT" 0); pids+=("$off_pid")
on_pid=$(start on $((PORT + 100)) "$HISTORY_SIZE"); pids+=("$on_pid")
echo "history-overhead: history off pid $off_pid (port $PORT), history on ($HISTORY_SIZE per channel) pid $on_pid" \
  "(port $((PORT + 100))); $SCENARIO, $RUNS runs each" >&2

# run NAME PORT PID: one benchmark run, its JSON line on stdout.
run() {
  URL="http://127.0.0.1:$2/" ACCESS_KEY="$KEY-$1" SERVER_PID="$3" scripts/bench.sh "$SCENARIO" "${@:4}" 2>/dev/null \
    | grep '^{' || { echo "history-overhead: a $1 run failed" >&2; exit 1; }
}

results=$(mktemp)
run off "$PORT" "$off_pid" "$@" >/dev/null
run on $((PORT + 100)) "$on_pid" "$@" >/dev/null
for i in $(seq 1 "$RUNS"); do
  echo "off $(run off "$PORT" "$off_pid" "$@")" >>"$results"
  echo "on $(run on $((PORT + 100)) "$on_pid" "$@")" >>"$results"
done

python3 - "$results" <<'PY'
import json, statistics, sys
runs = {"off": [], "on": []}
for line in open(sys.argv[1]):
    name, payload = line.split(" ", 1)
    result = json.loads(payload)["scenarios"][0]
    runs[name].append(result)
    print(f"{name:3} deliveries/s {result['deliveries_per_s']:>9}  p99 ms {result['latency_p99_ms']:>7}"
          f"  server µs CPU/delivery {result.get('server_us_per_delivery', '-')}  lost {result['lost']}")
def median(name, key):
    return statistics.median(float(r[key]) for r in runs[name])
print("| history on / off (medians) | ratio |\n|---|---|")
for key in ("deliveries_per_s", "latency_p99_ms", "server_us_per_delivery"):
    print(f"| {key} | {median('on', key) / median('off', key):.2f} |")
PY
