#!/usr/bin/env bash
# wsc against nchan on this machine, with the shared benchmark kit (../shared/bench, see its README): builds the jar,
# starts it through bin/wsc (so with the JVM options the README recommends), warms it up with one unrecorded run of
# each scenario, then runs the kit's compare.sh for each scenario and prints its tables. docs/BENCHMARKS.md has the
# figures this gave.
# Settings (environment): SCENARIOS ("s a16 a5 b c0 c1"), RUNS (3 nchan/wsc pairs each), WARM_UP (1; 0 restarts wsc
# before every run, to measure freshly started servers), KIT (../shared/bench), PORT (8188; management port
# PORT+1000), NCHAN_PORT (8190), BENCH_RUN_DIR (/tmp/wsc-bench-$USER), SKIP_BUILD (unset).
set -euo pipefail
cd "$(dirname "$0")/.."

SCENARIOS=${SCENARIOS:-s a16 a5 b c0 c1}
RUNS=${RUNS:-3}
KIT=${KIT:-../shared/bench}
PORT=${PORT:-8188}
NCHAN_PORT=${NCHAN_PORT:-8190}
KEY="bench-$RANDOM$RANDOM"
export BENCH_RUN_DIR=${BENCH_RUN_DIR:-/tmp/wsc-bench-${USER:-$(id -un)}}

[ -x "$KIT/compare.sh" ] || { echo "compare-nchan: no benchmark kit at $KIT (set KIT)" >&2; exit 2; }
"$KIT/setup.sh" >/dev/null
ulimit -n 20000 || { echo "compare-nchan: cannot raise open files to 20000 (hard limit $(ulimit -Hn))" >&2; exit 2; }

if [ -z "${SKIP_BUILD:-}" ]; then
  ./mvnw -q -B package -DskipTests
fi

export PORT KEY STATE="$PWD/target/bench-server"
bench_server="$PWD/scripts/bench-server.sh"
server=$("$bench_server" start)
trap '"$bench_server" stop' EXIT
echo "compare-nchan: wsc pid $server on port $PORT ($(java -version 2>&1 | head -1)); nchan on $NCHAN_PORT" >&2

fresh=()
if [ "${WARM_UP:-1}" != 0 ]; then
  # The JIT compiles the publish and fan-out paths during the first runs; nchan, in C, has nothing to warm up.
  echo "compare-nchan: warm-up run of $SCENARIOS (not recorded)" >&2
  # shellcheck disable=SC2086 # one word per scenario
  PORT="$PORT" KEY="$KEY" PIDS="$server" RUNS=1 WAIT_IDLE=0 "$KIT/scenarios.sh" $SCENARIOS >/dev/null 2>&1
else
  # Every wsc run then starts on a server started just before it, as a new pod meets a reconnect storm.
  fresh=(TARGET_RESTART_CMD="$bench_server start >/dev/null" TARGET_PIDS_CMD="cat $STATE/pid")
fi

status=0
for scenario in $SCENARIOS; do
  code=0
  env RUNS="$RUNS" NCHAN_PORT="$NCHAN_PORT" TARGET_PORT="$PORT" TARGET_KEY="$KEY" TARGET_PIDS="$server" "${fresh[@]}" \
    "$KIT/compare.sh" "$scenario" || code=$?
  case $code in
    0) ;;
    3) echo "compare-nchan: $scenario: only nchan's runs failed or lost messages (see its table); wsc's are valid" >&2 ;;
    *) status=1 ;;
  esac
done
exit "$status"
