#!/usr/bin/env bash
# Runs scripts/compare-nchan.sh once per JVM set-up (runtime, collector, options) and prints one table of the ratios to
# nchan, for choosing the recommended runtime and options by figures (docs/BENCHMARKS.md, "Collectors and runtimes").
# Settings (environment): SCENARIOS ("b"), RUNS (2), SETUPS (all of the ones below, by name), JDK25
# (/usr/lib/jvm/temurin-25-jdk-amd64), OUT (target/jvm-matrix). Builds once with the default Java.
set -euo pipefail
cd "$(dirname "$0")/.."

JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=${OUT:-target/jvm-matrix}
export SCENARIOS=${SCENARIOS:-b} RUNS=${RUNS:-2}
# name|java home (empty: the default java)|the JVM options that replace bin/wsc's defaults
setups() {
  cat <<LIST
17-serial||-XX:+UseSerialGC -Xmn32m
17-parallel||-XX:+UseParallelGC -Xmn32m
17-g1||-XX:+UseG1GC
17-zgc||-XX:+UseZGC
25-serial|$JDK25|-XX:+UseSerialGC -Xmn32m
25-serial-coh|$JDK25|-XX:+UseSerialGC -Xmn32m -XX:+UseCompactObjectHeaders
25-parallel-coh|$JDK25|-XX:+UseParallelGC -Xmn32m -XX:+UseCompactObjectHeaders
25-g1-coh|$JDK25|-XX:+UseG1GC -XX:+UseCompactObjectHeaders
25-zgc-coh|$JDK25|-XX:+UseZGC -XX:+UseCompactObjectHeaders
LIST
}

mkdir -p "$OUT"
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -q -B package -DskipTests
while IFS='|' read -r name home opts; do
  case " ${SETUPS:-$name} " in *" $name "*) ;; *) continue ;; esac
  echo "jvm-matrix: $name ($opts)" >&2
  path=$PATH
  [ -z "$home" ] || path="$home/bin:$PATH"
  PATH="$path" WSC_JAVA_DEFAULTS="$opts" SKIP_BUILD=1 scripts/compare-nchan.sh >"$OUT/$name.txt" 2>&1 \
    || echo "jvm-matrix: $name: compare-nchan failed (see $OUT/$name.txt)" >&2
done < <(setups)

# One row per set-up and scenario: the medians of the pair ratios, and wsc's own medians.
python3 - "$OUT" <<'PY'
import glob, json, os, sys
rows = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.txt"))):
    for line in open(path):
        if line.startswith('{"tool": "compare"'):
            j = json.loads(line)
            r, t = j["ratios"], j["target_median"]
            rows.append((os.path.basename(path)[:-4], j["scenario"], r["deliveries_per_s"], r["e2e_p99_ms"],
                         r["server_us_per_delivery"], r["post_per_s"], r["rss_per_conn_kb"], t["e2e_p99_ms"],
                         t["rss_per_conn_kb"], j["lost"]["target"]))
print("| set-up | scenario | deliveries/s | p99 | CPU/delivery | POST/s | RSS/conn | wsc p99 ms | wsc RSS/conn KB | lost |")
print("|---|---|---|---|---|---|---|---|---|---|")
for row in rows:
    print("| " + " | ".join(str(v) for v in row) + " |")
PY
