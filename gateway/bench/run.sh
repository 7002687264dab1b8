#!/usr/bin/env bash
# Gateway load harness: `bin/clawauth gateway` (its own process) vs the fake provider reached
# directly, at concurrency 1/16/64, JSON and SSE.
# Usage: gateway/bench/run.sh [seconds-per-run] [concurrencies, e.g. 1,16,64] [modes: json,stream]
# (from anywhere; BENCH_JAVA_OPTS adds JVM options to the harness, CLAWAUTH_JAVA_OPTS to the gateway).
# Harness options: -Dbench.instrument=lean (a load generator and provider that cost next to nothing),
# -Dbench.rate=N (open loop, N requests/s), -Dbench.rounds=N, -Dbench.detail=true (more percentiles),
# -Dbench.trace=PREFIX (each request's start and latency, a TSV file per run).
# BENCH_LAUNCHER=gateway/bench/floor-launcher.sh puts FloorProxy (a bare byte relay) where the gateway runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bin/lib/jdk.sh
JAVA_HOME=$(clawauth_find_jdk "$PWD")
export JAVA_HOME
# The jar the launcher runs, and the harness classes.
log=$(mktemp)
if ! ./mvnw -B -q -pl cli -am package -DskipTests >"$log" 2>&1 \
  || ! ./mvnw -B -q -pl gateway -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "gateway/bench/run.sh: the build failed (log: $log)" >&2
  exit 1
fi
rm -f "$log"
# A young generation big enough for the longest run, so that the harness collects only between runs.
exec "$JAVA_HOME/bin/java" -XX:+UseParallelGC -Xmx3g -Xmn2g ${BENCH_JAVA_OPTS:-} -Dbench.launcher="${BENCH_LAUNCHER:-$PWD/bin/clawauth}" \
  -cp "gateway/target/test-classes:gateway/target/classes:$(cat gateway/target/bench.classpath)" \
  dev.clawauth.gateway.bench.GatewayLoad "${1:-5}" ${2:+"$2"} ${3:+"$3"}
