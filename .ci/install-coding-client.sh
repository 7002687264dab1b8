#!/usr/bin/env bash
# Installs a coding client that people point at the gateway, from its npm package, into DIR, and
# writes DIR/BIN (a wrapper) for the client tests (CLAUDE_BIN, CODEX_BIN). Needs only the npm
# registry and a Node on PATH; each takes 10-30 s. Both packages ship their native binary in a
# per-platform optional dependency (Claude Code's postinstall copies it over its launcher).
#   usage: install-coding-client.sh DIR PACKAGE VERSION BIN
#   e.g.:  install-coding-client.sh DIR @anthropic-ai/claude-code 2.1.332 claude
#          install-coding-client.sh DIR @openai/codex 0.171.0 codex
#   then:  HOME=$(mktemp -d) DIR/claude --version
set -euo pipefail
dir=${1:?usage: $0 DIR PACKAGE VERSION BIN}
package=${2:?usage: $0 DIR PACKAGE VERSION BIN}
version=${3:?usage: $0 DIR PACKAGE VERSION BIN}
bin=${4:?usage: $0 DIR PACKAGE VERSION BIN}
mkdir -p "$dir"; dir=$(cd "$dir" && pwd); cd "$dir"
[ -f package.json ] || npm init -y >/dev/null
npm install --no-audit --no-fund "$package@$version" >/dev/null
cat > "$dir/$bin" <<WRAP
#!/usr/bin/env bash
exec "$dir/node_modules/.bin/$bin" "\$@"
WRAP
chmod +x "$dir/$bin"
HOME=$(mktemp -d) "$dir/$bin" --version
