#!/usr/bin/env bash
# Writes the benchmark state dir: DIR/agents/main/agent/auth-profiles.json with 50 profiles and
# DIR/openclaw.json (also as clawdbot.json, the 2026.1 name).  usage: bench/make-state.sh DIR [file|sqlite]
# With sqlite the same credentials go into OpenClaw 2026.9's shared store (DIR/state/openclaw.sqlite,
# made with python3's sqlite3 module) and no auth-profiles.json is left.
set -euo pipefail
state=${1:?usage: $0 DIR [file|sqlite]}
kind=${2:-file}
mkdir -p "$state/agents/main/agent"
chmod 700 "$state" "$state/agents" "$state/agents/main" "$state/agents/main/agent"
# 50 profiles: 20 API keys, 15 tokens and 15 OAuth (with refresh tokens) that expire in 30 days; an
# order, lastGood and usage stats with a cooldown. Every provider in use is usable, so the
# command exits 0 and a failed run shows up as an error, not as a fast run.
now_ms=$(( $(date +%s) * 1000 ))
{
  printf '{\n  "version": 1,\n  "profiles": {\n'
  sep=""
  for i in $(seq 1 20); do
    case $((i % 3)) in 0) p=anthropic ;; 1) p=openai ;; 2) p=openrouter ;; esac
    printf '%s    "%s:key%02d": {\n      "type": "api_key",\n      "provider": "%s",\n      "key": "sk-bench-FAKEFAKEFAKEFAKEFAKE%08d"\n    }' "$sep" "$p" "$i" "$p" "$i"
    sep=$',\n'
  done
  for i in $(seq 1 15); do
    printf '%s    "anthropic:token%02d": {\n      "type": "token",\n      "provider": "anthropic",\n      "token": "sk-ant-oat01-FAKEFAKEFAKEFAKE%08d",\n      "expires": %d\n    }' "$sep" "$i" "$i" $((now_ms + 30 * 86400000))
  done
  for i in $(seq 1 15); do
    printf '%s    "openai-codex:oauth%02d": {\n      "type": "oauth",\n      "provider": "openai-codex",\n      "access": "eyFAKEACCESSFAKEACCESS%08d",\n      "refresh": "FAKEREFRESHFAKEREFRESH%08d",\n      "expires": %d,\n      "accountId": "acct-%02d",\n      "email": "user%02d@example.invalid"\n    }' "$sep" "$i" "$i" "$i" $((now_ms + 30 * 86400000)) "$i" "$i"
  done
  printf '\n  },\n  "order": {\n    "anthropic": [\n      "anthropic:token01",\n      "anthropic:key03"\n    ]\n  },\n'
  printf '  "lastGood": {\n    "anthropic": "anthropic:token01"\n  },\n'
  printf '  "usageStats": {\n    "anthropic:key03": {\n      "lastUsed": %d,\n      "cooldownUntil": %d,\n      "errorCount": 2,\n      "failureCounts": {\n        "rate_limit": 2\n      },\n      "lastFailureAt": %d\n    }\n  }\n}\n' \
    "$now_ms" $((now_ms + 600000)) "$now_ms"
} > "$state/agents/main/agent/auth-profiles.json"
chmod 600 "$state/agents/main/agent/auth-profiles.json"
cat > "$state/openclaw.json" <<'JSON'
{
  "agents": { "defaults": { "model": { "primary": "anthropic/claude-opus-4-5", "fallbacks": ["openai/gpt-5.2"] } } }
}
JSON
cp "$state/openclaw.json" "$state/clawdbot.json"
if [ "$kind" = sqlite ]; then
  mkdir -p "$state/state" && chmod 700 "$state/state"
  python3 - "$state" <<'PY'
import json, sqlite3, sys, os
state = sys.argv[1]
src = os.path.join(state, "agents/main/agent/auth-profiles.json")
doc = json.load(open(src))
db = sqlite3.connect(os.path.join(state, "state/openclaw.sqlite"))
db.execute("PRAGMA journal_mode=WAL")
db.execute("CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT NOT NULL,"
           " updated_at_ms INTEGER NOT NULL) STRICT")
compact = lambda v: json.dumps(v, separators=(",", ":"))
rows = {"auth.sharedStore": {"location": "state-db"},
        "authProfiles.store": {"version": 1, "profiles": doc["profiles"]},
        "authProfiles.state": {"version": 1, **{k: doc[k] for k in ("order", "lastGood", "usageStats") if k in doc}}}
db.executemany("INSERT INTO config_machine_state VALUES (?, ?, 0)", [(k, compact(v)) for k, v in rows.items()])
db.commit()
db.close()
os.remove(src)
os.chmod(os.path.join(state, "state/openclaw.sqlite"), 0o600)
PY
fi
