#!/usr/bin/env bash
# An honest client's latency and successes through `bin/clawauth gateway` (its own process) with no
# attack, then while slowloris connections without the token hold on (a byte every 10 s each,
# reopened as soon as the gateway closes one). Each honest request is on a new connection.
# Usage: bench/slowloris.sh [seconds-per-run, default 30] [connections, default 2000] [ms between bytes, default 10000]
# BENCH_LAUNCHER=<other checkout>/bin/clawauth measures another build of the gateway with this
# harness (e.g. the commit before admission control); -Dbench.clients=N in BENCH_JAVA_OPTS (default 4).
# MVN_FLAGS=-o builds offline. Prints a Markdown table. Needs about 2 x connections file descriptors (ulimit -n).
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/lib/jdk.sh
JAVA_HOME=$(clawauth_find_jdk "$PWD")
export JAVA_HOME
log=$(mktemp)
if ! ./mvnw -B -q ${MVN_FLAGS:-} -pl cli -am package -DskipTests >"$log" 2>&1 \
  || ! ./mvnw -B -q ${MVN_FLAGS:-} -pl gateway -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "bench/slowloris.sh: the build failed (log: $log)" >&2
  exit 1
fi
rm -f "$log"
exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -Dbench.launcher="${BENCH_LAUNCHER:-$PWD/bin/clawauth}" \
  -cp "gateway/target/test-classes:gateway/target/classes:$(cat gateway/target/bench.classpath)" \
  dev.clawauth.gateway.bench.SlowlorisBench "${1:-30}" "${2:-2000}" "${3:-10000}"
