#!/usr/bin/env bash
# The gateway with the PostgreSQL store against the same gateway with the file store, at one
# concurrency, on a private PostgreSQL cluster (started by the harness, stopped at its end).
# Usage: bench/postgres-gateway.sh [seconds-per-run] [concurrency, default 16] [rounds, default 3]
# Prints a Markdown table, the throughput ratio, the added p99 and the database writes per second.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/lib/jdk.sh
JAVA_HOME=$(clawauth_find_jdk "$PWD")
export JAVA_HOME
log=$(mktemp)
if ! ./mvnw -B -q -pl cli -am package -DskipTests >"$log" 2>&1 \
  || ! ./mvnw -B -q -pl cli -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "bench/postgres-gateway.sh: the build failed (log: $log)" >&2
  exit 1
fi
rm -f "$log"
exec "$JAVA_HOME/bin/java" -Dclawauth.jar="$PWD/cli/target/clawauth.jar" \
  -cp "cli/target/test-classes:$(cat cli/target/bench.classpath)" \
  dev.clawauth.cli.postgres.PostgresGatewayBench "${1:-8}" "${2:-16}" "${3:-3}"
