#!/usr/bin/env bash
# Whole-process benchmark of `clawauth models status --check` on a 50-profile store, warm.
#   usage: bench/cli-status.sh [RUNS] [-- COMMAND...]
# RUNS defaults to 30 (at least 20). COMMAND defaults to bin/clawauth; anything that takes
# `models status --check` and reads OPENCLAW_STATE_DIR/CLAWDBOT_STATE_DIR can be measured the
# same way, e.g. `bench/cli-status.sh 20 -- /opt/clawdbot/clawdbot`.
# Prints median and max wall time and the peak RSS (largest maximum resident set of any run).
# Wall time comes from hyperfine when it is installed, else from this script's own loop; RSS from
# /usr/bin/time (GNU time), else from sampling /proc/<pid>/status VmHWM (a lower bound).
# BENCH_TIMER=loop uses the own loop even when hyperfine is installed. BENCH_STORE=sqlite measures
# the same credentials in OpenClaw 2026.9's SQLite store.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
runs=${1:-30}
[ "$#" -gt 0 ] && shift
if [ "${1:-}" = "--" ]; then shift; fi
if [ "$#" -gt 0 ]; then cmd=("$@"); else cmd=("$root/bin/clawauth"); fi
if [ "$runs" -lt 20 ]; then echo "cli-status.sh: use at least 20 runs" >&2; exit 1; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/clawauth-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
state="$work/state"
mkdir -p "$work/home"

"$root/bench/make-state.sh" "$state" "${BENCH_STORE:-file}"

# A clean environment: no developer keys, the temp state dir for both CLI generations.
envs=(env -i PATH="$PATH" HOME="$work/home" LANG=C.UTF-8 OPENCLAW_STATE_DIR="$state" CLAWDBOT_STATE_DIR="$state")
[ -n "${JAVA_HOME:-}" ] && envs+=(JAVA_HOME="$JAVA_HOME")
run=("${envs[@]}" "${cmd[@]}" models status --check)

# Warm up (the launcher builds its start-up cache on the first runs) and check the exit code.
for _ in 1 2 3; do
  if ! "${run[@]}" >/dev/null 2>"$work/err"; then
    echo "cli-status.sh: '${cmd[*]} models status --check' failed:" >&2; cat "$work/err" >&2; exit 1
  fi
done
if [ -s "$work/err" ]; then
  echo "cli-status.sh: the command wrote to stderr (it should not):" >&2; cat "$work/err" >&2; exit 1
fi

median_max() { # reads numbers (ms), prints "median max"
  sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f %.1f\n", m, a[NR]}'
}

rss_of() { # runs the command once, prints its peak RSS in KiB (and, with GNU time, CPU ms)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M %U %S' -o "$work/rss" "${run[@]}" >/dev/null 2>&1 || true
    tail -n 1 "$work/rss" | awk '{print $1; printf "%.0f\n", ($2 + $3) * 1000 > "/dev/stderr"}' 2>>"$work/cpus"
  else
    "${run[@]}" >/dev/null 2>&1 & local pid=$! hwm=0 v
    while kill -0 "$pid" 2>/dev/null; do
      v=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
      [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
      sleep 0.005
    done
    wait "$pid" || true
    echo "$hwm"
  fi
}

: > "$work/times"
if [ "${BENCH_TIMER:-}" != loop ] && command -v hyperfine >/dev/null 2>&1; then
  timer=hyperfine
  hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/h.json" --style none \
    "$(printf '%q ' "${run[@]}")" >/dev/null
  # hyperfine's JSON lists every run's wall time in seconds.
  tr -d ' \n' < "$work/h.json" | sed 's/.*"times":\[\([^]]*\)\].*/\1/' | tr ',' '\n' \
    | awk '{printf "%.3f\n", $1 * 1000}' > "$work/times"
else
  timer="own loop (date +%s%N)"
  for _ in $(seq 1 "$runs"); do
    t0=$(date +%s%N)
    "${run[@]}" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 )) | awk '{printf "%.3f\n", $1 / 1000}' >> "$work/times"
  done
fi
read -r median max < <(median_max < "$work/times")

: > "$work/rsss"
: > "$work/cpus"
rss_runs=$(( runs < 20 ? runs : 20 ))
for _ in $(seq 1 "$rss_runs"); do rss_of >> "$work/rsss"; done
read -r rss_median rss_max < <(median_max < "$work/rsss")
rss_method=$([ -x /usr/bin/time ] && echo "/usr/bin/time %M" || echo "/proc VmHWM sampling")
cpu=""
if [ -s "$work/cpus" ]; then
  read -r cpu_median cpu_max < <(median_max < "$work/cpus")
  cpu=$(printf 'median %.0f ms, max %.0f ms (user+sys, less sensitive to other load than wall time)' "$cpu_median" "$cpu_max")
fi

printf 'command:   %s models status --check (50 profiles, warm)\n' "${cmd[*]}"
printf 'machine:   %s cores, %s, %s\n' "$(nproc)" "$(uname -sr)" \
  "$(awk -F: '/model name/ {gsub(/^ +/, "", $2); print $2; exit}' /proc/cpuinfo)"
printf 'runs:      %s (wall time by %s)\n' "$runs" "$timer"
printf 'wall:      median %.0f ms, max %.0f ms\n' "$median" "$max"
printf 'peak RSS:  max %.1f MiB, median %.1f MiB (%s runs, %s)\n' \
  "$(awk -v k="$rss_max" 'BEGIN {print k / 1024}')" "$(awk -v k="$rss_median" 'BEGIN {print k / 1024}')" \
  "$rss_runs" "$rss_method"
[ -n "$cpu" ] && printf 'CPU:       %s\n' "$cpu"
printf 'load:      %s (1-min load average at the end)\n' "$(cut -d' ' -f1 /proc/loadavg)"
