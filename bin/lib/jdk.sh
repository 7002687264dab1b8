# Sourced by bin/clawauth and bin/test: finds a JDK >= 21 (the machines' default java is 17).
# Order: $JAVA_HOME, the java on PATH, then /usr/lib/jvm/* (newest first). The answer is cached in
# the checkout's cache dir (see clawauth_cache_dir) so that a warm `clawauth` does not pay for
# `java -version` on every run.

# Sets CLAWAUTH_CACHE to this checkout's dir under the user's cache dir ($XDG_CACHE_HOME, else
# ~/.cache), one per checkout so that two checkouts never share a start-up cache; empty when there
# is no home to put it in. No forks: the launcher's warm path calls it.
clawauth_cache_dir() {
  local base=${XDG_CACHE_HOME:-}
  [ -n "$base" ] || { [ -n "${HOME:-}" ] && base=$HOME/.cache; }
  CLAWAUTH_CACHE=""
  # "_" becomes "__" and "/" becomes "_-": no two paths share a name (/a/b_c, /a_b/c, /x_/y, /x/_y).
  local name=${1//_/__}
  [ -n "$base" ] && CLAWAUTH_CACHE="$base/clawauth/checkout${name//\//_-}"
  return 0
}

clawauth_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

clawauth_find_jdk() {
  clawauth_cache_dir "$1"
  local root=$1 cache="$CLAWAUTH_CACHE/java-home" candidate major
  if [ -f "$cache" ]; then
    read -r candidate < "$cache" || true
    if [ -x "$candidate/bin/java" ] && { [ -z "${JAVA_HOME:-}" ] || [ "$JAVA_HOME" = "$candidate" ]; }; then
      printf '%s\n' "$candidate"; return 0
    fi
  fi
  clawauth_probe_jdk "$root" "$cache"
}

# Sets CLAWAUTH_JDK without a subshell when the cached answer is still good (the warm path of
# bin/clawauth, where every fork costs milliseconds); otherwise falls back to the full search.
clawauth_set_jdk() {
  clawauth_cache_dir "$1"
  local cache="$CLAWAUTH_CACHE/java-home" candidate=""
  if [ -f "$cache" ]; then
    read -r candidate < "$cache" || true
    if [ -x "$candidate/bin/java" ] && { [ -z "${JAVA_HOME:-}" ] || [ "$JAVA_HOME" = "$candidate" ]; }; then
      CLAWAUTH_JDK=$candidate; return 0
    fi
  fi
  CLAWAUTH_JDK=$(clawauth_probe_jdk "$1" "$cache")
}

clawauth_probe_jdk() {
  local root=$1 cache=$2 candidate major
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
      { mkdir -p "${cache%/*}" && printf '%s\n' "$candidate" > "$cache"; } 2>/dev/null || true
      printf '%s\n' "$candidate"; return 0
    fi
  done
  echo "clawauth: no JDK 21 or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm/*). Install one or set JAVA_HOME." >&2
  return 1
}

# The feature release of a JDK from its `release` file, without starting it or forking:
# sets CLAWAUTH_JDK_MAJOR (0 if unknown).
clawauth_jdk_release_major() {
  local line v
  CLAWAUTH_JDK_MAJOR=0
  if [ -r "$1/release" ]; then
    while IFS= read -r line; do
      case "$line" in
        JAVA_VERSION=*) v=${line#JAVA_VERSION=}; v=${v//\"/}; v=${v#1.}; CLAWAUTH_JDK_MAJOR=${v%%[!0-9]*}; return 0 ;;
      esac
    done < "$1/release"
  fi
}

# Makes the AOT cache $3 for jar $2 with JDK $1 and JVM options $4..., in the background: a
# training run of `models status --check` on a throw-away state dir (so the user's files and
# output are never involved), then the cache is assembled and renamed into place. One trainer
# at a time (a guard dir, forgotten after 10 minutes); older caches of this kind are removed.
clawauth_train_aot() {
  local jdk=$1 jar=$2 aot=$3
  shift 3
  local dir guard
  dir=$(dirname "$aot")
  guard="$aot.training"
  if [ -n "$(find "$guard" -maxdepth 0 -mmin +10 2>/dev/null)" ]; then rm -rf "$guard" 2>/dev/null || true; fi
  mkdir "$guard" 2>/dev/null || return 0
  (
    work=$(mktemp -d "$guard/work.XXXXXX") || exit 0
    trap 'rm -rf "$guard"' EXIT
    state="$work/state"
    agent="$state/agents/main/agent"
    mkdir -p "$agent" "$work/home"
    now=$(( $(date +%s) * 1000 ))
    printf '{\n  "agents": { "defaults": { "model": { "primary": "anthropic/claude-opus-4-5", "fallbacks": ["openai/gpt-5.2"] } } }\n}\n' > "$state/openclaw.json"
    cat > "$agent/auth-profiles.json" <<JSON
{
  "version": 1,
  "profiles": {
    "anthropic:key": { "type": "api_key", "provider": "anthropic", "key": "sk-ant-api03-TRAINING-NOT-A-KEY-000000" },
    "anthropic:token": { "type": "token", "provider": "anthropic", "token": "sk-ant-oat01-TRAINING-NOT-A-TOKEN-0000", "expires": $(( now + 3600000 )) },
    "openai-codex:default": { "type": "oauth", "provider": "openai-codex", "access": "training-access-0000000000", "refresh": "training-refresh-000000000", "expires": $(( now + 7200000 )), "accountId": "acct", "email": "training@example.invalid" }
  },
  "order": { "anthropic": ["anthropic:token", "anthropic:key"] },
  "lastGood": { "anthropic": "anthropic:token" },
  "usageStats": { "anthropic:key": { "lastUsed": $now, "cooldownUntil": $(( now + 600000 )), "errorCount": 1, "failureCounts": { "rate_limit": 1 }, "lastFailureAt": $now } }
}
JSON
    env -i PATH=/usr/bin:/bin HOME="$work/home" LANG=C.UTF-8 OPENCLAW_STATE_DIR="$state" CLAWAUTH_AOT_TRAINING=1 \
      "$jdk/bin/java" "$@" -XX:AOTMode=record -XX:AOTConfiguration="$work/app.aotconf" \
      -jar "$jar" models status --check || true
    "$jdk/bin/java" "$@" -XX:AOTMode=create -XX:AOTConfiguration="$work/app.aotconf" \
      -XX:AOTCache="$work/app.aot" -jar "$jar" || exit 0
    # The work dir is inside the cache dir, so this rename is atomic.
    mv -f "$work/app.aot" "$aot" || exit 0
    for old in "$dir"/clawauth-cli-*.aot; do
      [ "$old" = "$aot" ] || rm -f "$old"
    done
  ) </dev/null >/dev/null 2>&1 &
}
