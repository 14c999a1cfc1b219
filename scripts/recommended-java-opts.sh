#!/usr/bin/env bash
# Prints the JVM options bin/wsc runs the server with: its default options, plus the build's class-data archive when
# there is one beside JAR (default target/quarkus-app/quarkus-run.jar). For scripts that start the jar themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
jar="${1:-target/quarkus-app/quarkus-run.jar}"
options=$(sed -n 's/^recommended_opts="\(-.*\)"$/\1/p' bin/wsc) # the first assignment: Java 17's set
[ -n "$options" ] || { echo "recommended-java-opts: no recommended_opts in bin/wsc" >&2; exit 2; }
if [ -f "$(dirname "$jar")/app-cds.jsa" ]; then
  options="$options -XX:SharedArchiveFile=app-cds.jsa"
fi
echo "$options"
