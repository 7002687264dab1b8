#!/usr/bin/env bash
# Stands in for `bin/clawauth gateway` in the load harness: gateway/bench/run.sh with
# BENCH_LAUNCHER=$PWD/gateway/bench/floor-launcher.sh measures FloorProxy, the floor
# under any proxy on this host (FLOOR_MODE=loop|threads).
cd "$(dirname "$0")/../.."
exec "$JAVA_HOME/bin/java" -Dfloor.mode="${FLOOR_MODE:-loop}" -cp gateway/target/test-classes dev.clawauth.gateway.bench.FloorProxy
