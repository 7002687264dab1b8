#!/usr/bin/env bash
# Builds the bench module and runs its JMH benchmarks; extra arguments go to JMH
# (e.g. `bench/jmh.sh -f 1 -wi 2 -i 3 parseStore`, or `-h` for JMH's options).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
. "$root/bin/lib/jdk.sh"
jdk=$(clawauth_find_jdk "$root")
cd "$root"
export JAVA_HOME="$jdk"
# One session, so that the reactor's own modules resolve; they come from their target/classes.
./mvnw -B -q -ntp -pl bench -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile="$root/bench/target/classpath.txt" -Dmdep.includeScope=runtime \
  -Dmdep.excludeGroupIds=dev.clawauth >/dev/null
cp="$root/bench/target/classes:$root/core/target/classes:$root/gateway/target/classes:$(cat "$root/bench/target/classpath.txt")"
exec "$jdk/bin/java" -cp "$cp" org.openjdk.jmh.Main "$@"
