#!/usr/bin/env bash
# Runs `mxt validate` on a valid copy of the sample project and on one with a duplicate
# metric row, many times side by side, and fails if any run ends with anything but 0 or 1
# (an abort, a crash). The suite runs a few seconds of this
# (tests/test_hardening.py::test_concurrent_runs_end_with_zero_or_one).
#   scripts/stress.sh [ROUNDS] [PARALLEL]      (default 10 rounds of 24)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-10}
parallel=${2:-24}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for name in good broken; do
  mkdir -p "$work/$name"
  cp -r plans data mkdocs.yml "$work/$name/"
done
daily="$work/broken/data/launch-2026q3_daily.csv"
sed -n 2p "$daily" >> "$daily"
bad=0
for round in $(seq "$rounds"); do
  for i in $(seq "$parallel"); do
    project="$work/good"; [ $((i % 2)) -eq 0 ] && project="$work/broken"
    ( rc=0; .venv/bin/mxt validate --project "$project" >/dev/null 2>"$work/err.$i" || rc=$?
      echo "$rc" > "$work/rc.$i" ) &
  done
  wait
  for i in $(seq "$parallel"); do
    rc=$(cat "$work/rc.$i")
    if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
      bad=$((bad + 1)); echo "round $round run $i: exit $rc: $(head -c 300 "$work/err.$i")"
    fi
  done
done
echo "$((rounds * parallel)) runs, $bad ended with anything but 0 or 1"
[ "$bad" -eq 0 ]
