#!/usr/bin/env bash
# Builds one htvm_add_firmware() program for bare metal and runs it under QEMU, printing its
# per-layer profile; exits with the firmware's exit status (0: its golden check passed).
#
#     tools/run-firmware.sh <rv32|m4> [target] [-- extra cmake configure options]
#
# Without a target it runs the first of mlperf_tiny_kws, resnet8, firmware_smoke that the project
# has. Build trees: the host build in $HTVM_HOST_BUILD (default: build), for its .tflite importer,
# and the bare-metal one in $HTVM_CROSS_BUILD (default: build-<arch>).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

arch=${1:-}
case "$arch" in
  rv32) toolchain=cmake/toolchain-rv32imc.cmake ;;
  m4) toolchain=cmake/toolchain-cortex-m4.cmake ;;
  *) echo "usage: $0 <rv32|m4> [target] [-- cmake options]" >&2; exit 2 ;;
esac
shift
target=""
if [ $# -gt 0 ] && [ "$1" != "--" ]; then target=$1; shift; fi
[ "${1:-}" = "--" ] && shift
host_build=${HTVM_HOST_BUILD:-build}
cross_build=${HTVM_CROSS_BUILD:-build-$arch}
jobs=$(nproc 2>/dev/null || echo 2)

# Models are imported from .tflite by a host program; a cross build cannot run what it builds.
import_option=()
if [ ! -f "$host_build/CMakeCache.txt" ]; then
  cmake -S . -B "$host_build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
if [ -f "$host_build/htvm-host-tools.txt" ]; then
  importer=$(head -n 1 "$host_build/htvm-host-tools.txt")
  echo "== building the host's model importer ($importer)"
  cmake --build "$host_build" --target htvm-import -j"$jobs" >/dev/null
  import_option=(-DHTVM_IMPORT_EXECUTABLE="$importer")
fi

# Changed toolchain files take effect only in a fresh cache (tools/toolchain-cache.sh).
source "$root/tools/toolchain-cache.sh"
htvm_forget_stale_toolchain_cache "$cross_build" "$toolchain"
echo "== configuring $cross_build with $toolchain"
cmake -S . -B "$cross_build" -DCMAKE_TOOLCHAIN_FILE="$root/$toolchain" -DCMAKE_BUILD_TYPE=Release \
  "${import_option[@]}" "$@" >/dev/null
htvm_stamp_toolchain_cache "$cross_build" "$toolchain"

manifest="$cross_build/htvm-firmware.tsv"
if [ -z "$target" ]; then
  for candidate in mlperf_tiny_kws resnet8 firmware_smoke; do
    if awk -F'\t' -v t="$candidate" '$1 == t { found = 1 } END { exit !found }' "$manifest"; then
      target=$candidate
      break
    fi
  done
fi
elf=$(awk -F'\t' -v t="$target" '$1 == t { print $2 }' "$manifest")
if [ -z "$elf" ]; then
  echo "run-firmware: '$target' is not a firmware program of this project; these are:" >&2
  cut -f1 "$manifest" | sed 's/^/  /' >&2
  exit 2
fi

echo "== building $target for $arch"
cmake --build "$cross_build" --target "$target" -j"$jobs"
echo "== running $elf under QEMU"
start=$(date +%s%N)
status=0
tools/qemu-run.sh "$arch" "$elf" || status=$?
echo "== $target on $arch: exit status $status, $((($(date +%s%N) - start) / 1000000)) ms wall clock"
exit "$status"
