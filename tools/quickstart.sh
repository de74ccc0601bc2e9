#!/usr/bin/env bash
# The main job: install, build, run the example network on the host with its per-layer table, then
# compile a real model for RV32 and run it under QEMU with its per-layer profile.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup-debian.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)" --target resnet8
./build/examples/resnet8/resnet8
if [ -x tools/run-rv32.sh ]; then
  bash tools/run-rv32.sh
fi
