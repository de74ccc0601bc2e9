#!/usr/bin/env bash
# The whole test suite: set-up check, host build, every CTest case (unit, property, compile-fail,
# mlperf, diana, tiling, qemu, package). Extra arguments go to ctest (e.g. -L unit).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup-debian.sh
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"
ctest --test-dir build -j"$jobs" --output-on-failure "$@"
