#!/usr/bin/env bash
# The longer run of the property-based fuzz test, tests/test_fuzz.py.
#
#   scripts/fuzz.sh [EXAMPLES] [pytest options...]
#
# EXAMPLES (default 2000) generated projects go through `validate` (text and JSON) and,
# when valid, `status --json`; EXAMPLES/25 (at least 4) valid-leaning projects are also
# built. On this 2-core machine: 400 examples ~4 min, 1000 ~8 min, 2000 ~15-25 min
# (each distinct failure adds up to ~5 min of shrinking).
#
# A failure is shrunk to a minimal project (MXT_FUZZ_SHRINK=1 here, off in the suite:
# it can take a few minutes) and saved to MXT_FUZZ_SAVE (default build/fuzz-failures/
# <test>; replay with `.venv/bin/mxt validate --project build/fuzz-failures/<test>`).
# Also: MXT_FUZZ_BUILD_EXAMPLES (build test examples), MXT_FUZZ_TIMEOUT (seconds one
# command may run before it counts as a hang, default 60). `--hypothesis-seed=N` replays
# a run's choices; Hypothesis also replays saved failures first (.hypothesis/).
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${1:-2000}"
[[ $# -gt 0 ]] && shift
export MXT_FUZZ_EXAMPLES="$examples"
export MXT_FUZZ_SHRINK="${MXT_FUZZ_SHRINK:-1}"
export MXT_FUZZ_SAVE="${MXT_FUZZ_SAVE:-build/fuzz-failures}"
exec .venv/bin/python -m pytest tests/test_fuzz.py -q --hypothesis-show-statistics "$@"
