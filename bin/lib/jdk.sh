# Sourced by bin/clawauth and bin/test: finds a JDK >= 21 (the machines' default java is 17).
# Order: $JAVA_HOME, the java on PATH, then /usr/lib/jvm/* (newest first). The answer is cached in
# .cache/java-home so that a warm `clawauth` does not pay for `java -version` on every run.

clawauth_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

clawauth_find_jdk() {
  local root=$1 cache="$1/.cache/java-home" candidate major
  if [ -f "$cache" ]; then
    candidate=$(cat "$cache")
    if [ -x "$candidate/bin/java" ] && { [ -z "${JAVA_HOME:-}" ] || [ "$JAVA_HOME" = "$candidate" ]; }; then
      printf '%s\n' "$candidate"; return 0
    fi
  fi
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${d%/}"); done
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate/bin/java" ] || continue
    major=$(clawauth_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      mkdir -p "$root/.cache" && printf '%s\n' "$candidate" > "$cache"
      printf '%s\n' "$candidate"; return 0
    fi
  done
  echo "clawauth: no JDK 21 or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm/*). Install one or set JAVA_HOME." >&2
  return 1
}
