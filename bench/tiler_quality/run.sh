#!/usr/bin/env bash
# Tiler quality: the compile-time tiler's plan against the exhaustive optimum of the same DIANA
# cycle model, on random accelerator layers x L1 budgets (tiler_quality.cpp says exactly how).
#
#     bash bench/tiler_quality/run.sh [results dir, default bench/results]
#
# Writes tiler_quality.csv (cases, median_ratio, worst_ratio), tiler_quality_by_kind.csv and
# tiler_quality_notes.md (the text for RESULTS.md) into the results dir. Host build: $HTVM_BENCH_HOST_BUILD (default build-bench-diana), configured here if
# it has no CMakeCache.txt yet. Options for the program (e.g. --geometries 400 --seed 1) can be
# passed in HTVM_TILER_QUALITY_ARGS. About 15 seconds on one core.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
results=${1:-${HTVM_BENCH_RESULTS:-$root/bench/results}}
host_build=${HTVM_BENCH_HOST_BUILD:-$root/build-bench-diana}
jobs=${HTVM_BENCH_JOBS:-2}
mkdir -p "$results"
if [ ! -f "$host_build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$host_build" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" \
    -DHTVM_BUILD_TESTS=OFF >/dev/null
fi
cmake "$host_build" >/dev/null  # a tree made before bench/tiler_quality existed picks it up
cmake --build "$host_build" --target tiler_quality -j"$jobs" >/dev/null
# shellcheck disable=SC2086  # the arguments are meant to split
summary=$("$host_build/bench/tiler_quality/tiler_quality" --csv "$results" ${HTVM_TILER_QUALITY_ARGS:-})
echo "$summary"
# The explanation bench/make_results.py puts under the table in RESULTS.md.
{
  cat <<'TEXT'
The compile-time tiler (`htvm::tiling::plan_tiles` with DIANA's digital limits and DORY's objective,
`digital_array_objective`, as the DIANA target uses it) against the best plan an exhaustive search finds,
both scored by the same cycle model, `htvm::diana::cycles::estimate(net, g, i, unit::digital, plan)`
(full + layout cycles, tile by tile along the executed schedule). **MODELED**: the ratio compares two
plans under htvm's DIANA cycle model, not measurements. A case is one random layer the digital
accelerator can run (conv2d, depthwise, dense; kernels 1/3/5/7, stride 1 or 2, symmetric padding,
4-element words; up to 64 x 64 x 256) under one L1 budget (8,000 to 256,000 B) with DIANA's 64,000 B
weight memory. The search tries every legal tile: K in 16-channel blocks (or all of K), every row count,
every column count (bench/tiler_quality/tiler_quality.cpp). ratio = tiler cycles / optimum cycles.
Per layer kind and for the other two objectives: [tiler_quality_by_kind.csv](results/tiler_quality_by_kind.csv).

TEXT
  echo "$summary" | sed -e 's/^tiler_quality: /- /' -e 's/^  /- /'
} >"$results/tiler_quality_notes.md"
echo "== bench/tiler_quality: wrote $results/tiler_quality.csv and tiler_quality_by_kind.csv"
