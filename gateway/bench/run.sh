#!/usr/bin/env bash
# Gateway load harness: gateway vs the fake provider directly, concurrency 1/16/64, JSON and SSE.
# Usage: gateway/bench/run.sh [seconds-per-run]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bin/lib/jdk.sh
JAVA_HOME=$(clawauth_find_jdk "$PWD")
export JAVA_HOME
mvn -B -q -pl gateway -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
exec "$JAVA_HOME/bin/java" -XX:+UseParallelGC -Xmx512m \
  -cp "gateway/target/test-classes:gateway/target/classes:$(cat gateway/target/bench.classpath)" \
  dev.clawauth.gateway.bench.GatewayLoad "${1:-5}" ${2:+"$2"} ${3:+"$3"}
