#!/usr/bin/env bash
# Chaos run: 2-3 packaged nodes on one Redis (persistent: append-only file, fsync always) while faults are injected in
# rotation, and a ledger harness (scripts/chaos-ledger.py) that publishes numbered messages through all nodes and
# watches a raw, a wsc.v1.json and an event-stream subscriber on every node and channel; see docs/CHAOS.md.
# Usage: scripts/chaos.sh [MINUTES]   (default 5; the run ends about half a minute after that)
# Settings (environment): NODES (3; 2 or 3), HISTORY (on: 1000 messages per channel; off; or a size), FAULT_EVERY
# (20 seconds), SEED (orders the faults of each round of five, each kind once; printed, random by default; nodes
# restart in turn), RATE (60 messages/s over all channels), CHANNELS (3), KEEP (set: keep the run directory after a
# clean run too; it is always kept after a failed one), PYTHON (/usr/bin/python3, with the Debian packages
# python3-websockets and python3-requests).
# Faults: CLIENT KILL TYPE pubsub, CLIENT KILL TYPE normal, Redis SIGKILL and restart, a node SIGTERM and restart
# (on the same ports), CLIENT PAUSE 2000. Builds nothing: it runs target/quarkus-app/quarkus-run.jar. Loopback only.
# Prints a line per fault and a final table; exits non-zero when a message was lost silently, delivered twice or out
# of order (evidence in the run directory's violations.txt), or a node or Redis did not come back.
set -euo pipefail
cd "$(dirname "$0")/.."

MINUTES=${1:-5}
NODES=${NODES:-3}
HISTORY=${HISTORY:-on}
FAULT_EVERY=${FAULT_EVERY:-20}
SEED=${SEED:-$((RANDOM * 32768 + RANDOM))}
RATE=${RATE:-60}
CHANNELS=${CHANNELS:-3}
PYTHON=${PYTHON:-/usr/bin/python3}
KEY="chaos-$RANDOM$RANDOM"
JAR=target/quarkus-app/quarkus-run.jar

usage() { echo "usage: [NODES=2|3] [HISTORY=on|off|SIZE] [FAULT_EVERY=s] [SEED=n] scripts/chaos.sh [MINUTES]" >&2; exit 2; }
[[ "$MINUTES" =~ ^[0-9]+$ && "$MINUTES" -ge 1 ]] || usage
[[ "$NODES" == 2 || "$NODES" == 3 ]] || usage
[[ "$FAULT_EVERY" =~ ^[0-9]+$ && "$FAULT_EVERY" -ge 5 ]] || usage
case "$HISTORY" in
  on) HISTORY_SIZE=1000 ;;
  off) HISTORY_SIZE=0 ;;
  *) [[ "$HISTORY" =~ ^[0-9]+$ ]] || usage; HISTORY_SIZE=$HISTORY ;;
esac
if [ ! -f "$JAR" ]; then
  echo "chaos: $JAR is missing; build it first: ./mvnw -B package -DskipTests" >&2
  exit 2
fi
for tool in redis-server redis-cli curl java; do
  command -v "$tool" >/dev/null || { echo "chaos: $tool is not installed" >&2; exit 2; }
done
"$PYTHON" -c 'import websockets, requests' 2>/dev/null \
  || { echo "chaos: $PYTHON needs python3-websockets and python3-requests (apt-get install them)" >&2; exit 2; }
"$PYTHON" scripts/chaos-ledger.py --self-test >/dev/null # the check finds what it must find, before a long run

RUN=$(mktemp -d "${TMPDIR:-/tmp}/wsc-chaos.XXXXXX")
mkdir "$RUN/redis"
RANDOM=$SEED
redis_pid=""
harness_pid=""
node_pid=()
status=0

cleanup() {
  # Nodes first (their goodbye needs Redis), then Redis; only the processes this script started.
  [ -n "$harness_pid" ] && kill "$harness_pid" 2>/dev/null || true
  for pid in "${node_pid[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${node_pid[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null || true
  if [ "$status" -eq 0 ] && [ -z "${KEEP:-}" ]; then
    rm -rf "$RUN"
  else
    echo "chaos: run directory kept: $RUN" >&2
  fi
}
trap cleanup EXIT
trap 'status=130; exit 130' INT TERM

free_port() { "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
stamp() { date +%s.%N; }
clock() { date +%H:%M:%S; }
redis() { redis-cli -p "$REDIS_PORT" "$@"; }

REDIS_PORT=$(free_port)
start_redis() {
  setsid redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly yes --appendfsync always \
    --dir "$RUN/redis" >>"$RUN/redis.log" 2>&1 </dev/null &
  redis_pid=$!
  for _ in $(seq 1 100); do
    [ "$(redis PING 2>/dev/null)" = PONG ] && return 0
    sleep 0.1
  done
  echo "chaos: redis-server did not start; see $RUN/redis.log" >&2
  return 1
}

# The jar under a name of its own (a link beside it, so its class path still resolves), in a session of its own, as
# scripts/soak.sh does: clean-ups of other quarkus-run.jar processes on a shared machine leave these nodes alone.
ln -sf quarkus-run.jar target/quarkus-app/wsc-chaos.jar
http_port=()
management_port=()
for i in $(seq 0 $((NODES - 1))); do
  http_port[i]=$(free_port)
  management_port[i]=$(free_port)
done
start_node() {
  echo "=== chaos: node $1 starting at $(date '+%F %T')" >>"$RUN/node-$1.log"
  WSC_ACCESS_KEY="$KEY" WSC_BROKER=redis QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT" \
    WSC_REDIS_HEARTBEAT=1s WSC_HISTORY_SIZE="$HISTORY_SIZE" WSC_HISTORY_TTL=1h \
    setsid java -Xmx256m -Dquarkus.http.port="${http_port[$1]}" -Dquarkus.management.port="${management_port[$1]}" \
    -jar target/quarkus-app/wsc-chaos.jar >>"$RUN/node-$1.log" 2>&1 </dev/null &
  node_pid[$1]=$!
}
ready() { curl -fs -o /dev/null "http://127.0.0.1:${management_port[$1]}/q/health/ready"; }
# Waits until every node is ready (at most 60 s); prints how long it took.
all_ready() {
  local from=$(stamp)
  for _ in $(seq 1 300); do
    local waiting=0
    for i in $(seq 0 $((NODES - 1))); do ready "$i" || waiting=1; done
    if [ "$waiting" -eq 0 ]; then
      awk -v a="$from" -v b="$(stamp)" 'BEGIN { printf "%.1f", b - a }'
      return 0
    fi
    sleep 0.2
  done
  echo "never"
  return 1
}

# The sum of a meter's series (all label values) on one node; 0 when the node does not answer.
metric() {
  { curl -fs "http://127.0.0.1:${management_port[$1]}/q/metrics" 2>/dev/null || true; } \
    | awk -v name="$2" 'index($0, name) == 1 && substr($0, length(name) + 1, 1) ~ /[{ ]/ { sum += $NF }
                        END { printf "%d", sum }'
}
# Meters of nodes that were restarted, counted before they stopped (a restarted node starts again from 0).
METERS="wsc_redis_recovered_total wsc_redis_losses_total wsc_subscribers_closed_lost_total"
declare -A carried=()
for meter in $METERS; do carried[$meter]=0; done
carry_meters() {
  for meter in $METERS; do carried[$meter]=$((carried[$meter] + $(metric "$1" "$meter"))); done
}

# A counter of the harness's progress file (0 until it has one).
progress() { awk -F= -v k="$1" '$1 == k { v = $2 } END { print v + 0 }' "$RUN/progress" 2>/dev/null || echo 0; }

start_redis
for i in $(seq 0 $((NODES - 1))); do start_node "$i"; done
all_ready >/dev/null || { echo "chaos: the nodes did not get ready; see $RUN/node-*.log" >&2; status=2; exit 2; }
ports=$(IFS=,; echo "${http_port[*]}")
echo "chaos: $(nproc) cores, $(java -version 2>&1 | head -1), $(redis-server --version | cut -d' ' -f1-3)"
echo "chaos: $MINUTES min, $NODES nodes (ports $ports), Redis on $REDIS_PORT (AOF, fsync always), history" \
  "$HISTORY_SIZE per channel, $CHANNELS channels, $RATE messages/s, a fault every $FAULT_EVERY s, SEED=$SEED"
echo "chaos: run directory $RUN"

history_flag=()
[ "$HISTORY_SIZE" -gt 0 ] && history_flag=(--history)
"$PYTHON" scripts/chaos-ledger.py --ports "$ports" --key "$KEY" --dir "$RUN" --channels "$CHANNELS" \
  --rate "$RATE" --seed "$SEED" "${history_flag[@]}" &
harness_pid=$!
for _ in $(seq 1 150); do
  [ -f "$RUN/progress" ] && break
  kill -0 "$harness_pid" 2>/dev/null || { echo "chaos: the harness did not start" >&2; status=2; exit 2; }
  sleep 0.2
done

# inject KIND: one fault, in this shell (it may start processes again); sets what: what it did.
restarts=0
inject() {
  case "$1" in
    pubsub-kill) what="CLIENT KILL TYPE pubsub: $(redis CLIENT KILL TYPE pubsub) connections" ;;
    normal-kill) what="CLIENT KILL TYPE normal: $(redis CLIENT KILL TYPE normal) connections" ;;
    redis-kill)
      { kill -KILL "$redis_pid"; wait "$redis_pid"; } 2>/dev/null || true # (without the shell's "Killed" line)
      sleep 1
      start_redis
      what="Redis SIGKILL, restarted from its append-only file after 1 s" ;;
    node-restart)
      local node=$((restarts % NODES)) began=$(stamp)
      restarts=$((restarts + 1))
      carry_meters "$node"
      kill -TERM "${node_pid[$node]}"
      for _ in $(seq 1 300); do kill -0 "${node_pid[$node]}" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "${node_pid[$node]}" 2>/dev/null && echo "chaos: node $node did not stop within 30 s" >&2 || true
      wait "${node_pid[$node]}" 2>/dev/null || true
      what="node $node SIGTERM (exited after $(awk -v a="$began" -v b="$(stamp)" 'BEGIN { printf "%.1f", b - a }') s), restarted"
      start_node "$node" ;;
    pause) what="CLIENT PAUSE 2000: $(redis CLIENT PAUSE 2000)" ;;
  esac
}

KINDS=(pubsub-kill normal-kill redis-kill node-restart pause)
declare -A injected=()
for kind in "${KINDS[@]}"; do injected[$kind]=0; done
round=()
next_kind() { # the next kind of the current round; each round has every kind once, in an order drawn from SEED
  if [ "${#round[@]}" -eq 0 ]; then
    round=("${KINDS[@]}")
    for ((i = ${#round[@]} - 1; i > 0; i--)); do
      local j=$((RANDOM % (i + 1))) swap=${round[i]}
      round[i]=${round[j]}; round[j]=$swap
    done
  fi
  kind=${round[0]}
  round=("${round[@]:1}")
}

declare -A last=()
window() { # sets window_line: what the harness counted since the last call
  local name now
  window_line=""
  for name in publish_201 publish_503 publish_refused publish_timeout deliveries gaps closed_1012 reconnected; do
    now=$(progress "$name")
    window_line+=" ${name#publish_} +$((now - ${last[$name]:-0}))"
    last[$name]=$now
  done
}
# A fault's line waits for the next fault (or the end), so that it shows what followed it: catch-ups, gaps, 1012
# closes, reconnections.
pending=""
report() {
  window
  [ -n "$pending" ] && echo "$pending; until the next:$window_line"
  pending=""
}
sleep_until() { local left=$(($1 - $(date +%s))); [ "$left" -le 0 ] || sleep "$left"; }

started=$(date +%s)
ends=$((started + MINUTES * 60))
faults=0
report
for ((next = started + FAULT_EVERY; next < ends; next += FAULT_EVERY)); do
  sleep_until "$next"
  kill -0 "$harness_pid" 2>/dev/null || { echo "chaos: the harness stopped during the run" >&2; status=1; break; }
  report
  next_kind
  faults=$((faults + 1))
  injected[$kind]=$((injected[$kind] + 1))
  at=$(stamp)
  inject "$kind"
  echo "$at $kind $what" >>"$RUN/faults.log"
  back=$(all_ready) || { echo "chaos: $(clock) fault $faults $kind: the nodes did not get ready again" >&2; status=1; break; }
  pending="chaos: $(date -d "@${at%.*}" +%H:%M:%S) fault $faults $kind: $what; all nodes ready after $back s"
done
sleep_until "$ends"
report

touch "$RUN/STOP"
harness_status=0
wait "$harness_pid" || harness_status=$?
harness_pid=""
[ "$harness_status" -ne 0 ] && status=1

declare -A meter_total=()
for meter in $METERS; do
  meter_total[$meter]=${carried[$meter]}
  for i in $(seq 0 $((NODES - 1))); do meter_total[$meter]=$((meter_total[$meter] + $(metric "$i" "$meter"))); done
done
result() { awk -F= -v k="$1" '$1 == k { v = $2 } END { print v == "" ? "?" : v }' "$RUN/result" 2>/dev/null || echo "?"; }
row() { printf '| %-52s | %10s |\n' "$1" "$2"; }
errors=$(cat "$RUN"/node-*.log | grep -c ' ERROR ' || true)
warnings=$(cat "$RUN"/node-*.log | grep -c ' WARN ' || true)

echo
row "minutes" "$MINUTES"
row "nodes" "$NODES"
row "history per channel" "$HISTORY_SIZE"
row "seed" "$SEED"
for kind in "${KINDS[@]}"; do row "faults: $kind" "${injected[$kind]}"; done
row "messages published (tried)" "$(result messages_tried)"
row "messages acknowledged (201)" "$(result messages_acknowledged)"
row "publishes refused (503)" "$(result publish_503)"
row "publishes unanswered (node down, timeout)" "$(result publish_no_answer)"
row "publishes answered otherwise" "$(result publish_other)"
row "deliveries" "$(result deliveries)"
row "subscriber views checked" "$(result views)"
row "recovered by nodes (wsc_redis_recovered_total)" "${meter_total[wsc_redis_recovered_total]}"
row "losses signalled by nodes (wsc_redis_losses_total)" "${meter_total[wsc_redis_losses_total]}"
row "raw closed for losses (wsc_subscribers_closed_lost)" "${meter_total[wsc_subscribers_closed_lost_total]}"
row "signalled: gap frames and events received" "$(result signalled_gaps)"
row "signalled: raw closes 1012 received" "$(result signalled_1012)"
row "acknowledged messages covered by a signal" "$(result covered_by_signals)"
row "reconnected (1001, dropped, stream ended)" "$(result reconnected)"
row "in flight at such a close (< 2 s before it)" "$(result cut_off_by_close)"
row "silently lost" "$(result silently_lost)"
row "duplicates" "$(result duplicates)"
row "reordered" "$(result reordered)"
row "wrong ids (frame id != receipt id)" "$(result wrong_ids)"
row "node log lines WARN / ERROR" "$warnings / $errors"
if [ "$status" -ne 0 ]; then
  echo "chaos: FAILED; evidence in $RUN (violations.txt, node-*.log, faults.log)" >&2
else
  echo "chaos: the first rule held for every subscriber view"
fi
exit "$status"
