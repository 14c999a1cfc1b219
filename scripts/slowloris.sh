#!/usr/bin/env bash
# Slowloris run: half-open HTTP connections held against the packaged server while subscribers are served; see
# "Behind a proxy or on the internet" in README.md and docs/SOAK.md. The client side is scripts/slowloris.py.
# Settings (environment): HOSTILE (5000 half-open connections, each `POST /x HTTP/1.1`, `Host: x` and then nothing,
# opened again while the subscribers are served), TRICKLE (1000 of them trickle a byte of a header every
# TRICKLE_EVERY=3 seconds), SUBSCRIBERS (1000), CHANNELS (10), MESSAGES (100 per channel), HEADER_TIMEOUT (seconds;
# unset: the packaged default, 10 s, is what the run checks), SERVER_JAVA_OPTS, PYTHON (/usr/bin/python3, with the
# Debian package python3-websockets). Builds nothing: it runs target/quarkus-app/quarkus-run.jar on two free loopback
# ports. Bounded: the client side gives up after about 4 minutes, and this script stops it after MAX_TIME (300 s).
# Prints progress, a table and one line "SLOWLORIS_RESULT {json}"; exits non-zero when a subscriber missed a message
# or got one out of order, a hostile connection outlived the header timeout by more than 5 s, the server's open files
# did not return to the baseline, or wsc_http_timeouts_total{timeout="header"} did not count every hostile connection.
set -euo pipefail
cd "$(dirname "$0")/.."

HOSTILE=${HOSTILE:-5000}
TRICKLE=${TRICKLE:-1000}
TRICKLE_EVERY=${TRICKLE_EVERY:-3}
SUBSCRIBERS=${SUBSCRIBERS:-1000}
CHANNELS=${CHANNELS:-10}
MESSAGES=${MESSAGES:-100}
MAX_TIME=${MAX_TIME:-300}
PYTHON=${PYTHON:-/usr/bin/python3}
KEY="slowloris-$RANDOM$RANDOM"
JAR=target/quarkus-app/quarkus-run.jar
LOG=target/slowloris-server.log

if [ ! -f "$JAR" ]; then
  echo "slowloris: $JAR is missing; build it first: ./mvnw -B package -DskipTests" >&2
  exit 2
fi
"$PYTHON" -c 'import websockets' 2>/dev/null \
  || { echo "slowloris: $PYTHON needs python3-websockets (apt-get install it)" >&2; exit 2; }

# The server holds every connection of both sides; each client process holds its own side's.
ulimit -n "$(ulimit -Hn)"
needed=$((HOSTILE + SUBSCRIBERS + 1000))
if [ "$(ulimit -n)" -lt "$needed" ]; then
  echo "slowloris: open files are limited to $(ulimit -n); the server needs $needed" >&2
  exit 2
fi

free_port() { "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
MANAGEMENT_PORT=$(free_port)
timeout_flag=()
if [ -n "${HEADER_TIMEOUT:-}" ]; then
  timeout_flag=(-Dwsc.http.header-timeout="${HEADER_TIMEOUT}s")
fi

# The jar under a name of its own, in a session of its own, as scripts/soak.sh does: clean-ups of other
# quarkus-run.jar processes on a shared machine leave this server alone.
ln -sf quarkus-run.jar target/quarkus-app/wsc-slowloris.jar
WSC_ACCESS_KEY="$KEY" setsid java ${SERVER_JAVA_OPTS:-} "${timeout_flag[@]}" \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" -Dquarkus.management.port="$MANAGEMENT_PORT" \
  -jar target/quarkus-app/wsc-slowloris.jar >"$LOG" 2>&1 </dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT

for _ in $(seq 1 150); do
  if curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" >/dev/null; then
    break
  fi
  kill -0 "$server" 2>/dev/null || { echo "slowloris: the server did not start:" >&2; cat "$LOG" >&2; exit 2; }
  sleep 0.2
done

echo "slowloris: $(nproc) cores, $(java -version 2>&1 | head -1), open files limit $(ulimit -n)"
echo "slowloris: server pid $server on port $PORT (management $MANAGEMENT_PORT), log in $LOG"
status=0
timeout --kill-after=10 "$MAX_TIME" "$PYTHON" scripts/slowloris.py --port "$PORT" \
  --management-port "$MANAGEMENT_PORT" --key "$KEY" --server-pid "$server" \
  --header-timeout "${HEADER_TIMEOUT:-10}" --hostile "$HOSTILE" --trickle "$TRICKLE" \
  --trickle-every "$TRICKLE_EVERY" --subscribers "$SUBSCRIBERS" --channels "$CHANNELS" \
  --messages "$MESSAGES" || status=$?
if ! kill -0 "$server" 2>/dev/null; then
  echo "slowloris: the server exited during the run; the end of its log:" >&2
  grep -v '^\s*at ' "$LOG" | tail -5 >&2
  status=1
fi
echo "slowloris: server log errors: $(grep -c ' ERROR ' "$LOG" || true)"
exit "$status"
