#!/usr/bin/env bash
# Configures and builds a bare-metal build tree of this source tree (the qemu_build_<arch> fixture).
#
#     test_firmware_build.sh <source-dir> <build-dir> <toolchain-file> <jobs> <generator> [htvm-import]
#
# Builds every firmware target (`htvm_firmware`). When that fails, each firmware target is built on
# its own so that one broken program does not hide the others: the names of those that failed go to
# <build-dir>/htvm-firmware-failed.txt. This script then still exits 0, because CTest skips every
# test of a fixture whose setup failed: the failures show in the tests that read that file
# (qemu_build_<arch>_complete, qemu_symbols_<arch>, qemu_stack_<arch>, qemu_<arch>_<program>).
# Only a failed configuration fails here.
set -uo pipefail
if [ $# -lt 5 ]; then
  echo "usage: $0 <source-dir> <build-dir> <toolchain-file> <jobs> <generator> [htvm-import]" >&2
  exit 2
fi
src=$1 dir=$2 toolchain=$3 jobs=$4 generator=$5 import=${6:-}
failed_list="$dir/htvm-firmware-failed.txt"
start=$(date +%s)

# Changed toolchain files take effect only in a fresh cache (tools/toolchain-cache.sh).
source "$(dirname "$0")/../../tools/toolchain-cache.sh"
htvm_forget_stale_toolchain_cache "$dir" "$toolchain"

configure=(cmake -S "$src" -B "$dir" -G "$generator" -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release)
[ -n "$import" ] && configure+=(-DHTVM_IMPORT_EXECUTABLE="$import")
echo "+ ${configure[*]}"
if ! "${configure[@]}"; then
  echo "FAIL: configuring the bare-metal build with $toolchain failed"
  exit 1
fi
htvm_stamp_toolchain_cache "$dir" "$toolchain"
: >"$failed_list"

# Keep going past a broken program, so that the others still build in parallel.
keep_going=()
case "$generator" in
  *Makefiles*) keep_going=(-- -k) ;;
  Ninja*) keep_going=(-- -k 0) ;;
esac
echo "+ cmake --build $dir --target htvm_firmware -j$jobs ${keep_going[*]}"
if cmake --build "$dir" --target htvm_firmware -j"$jobs" "${keep_going[@]}"; then
  echo "built every firmware target in $(($(date +%s) - start)) s"
  exit 0
fi

echo "the combined build failed; building each firmware target alone to find the broken ones (the others are up to date)"
while IFS=$'\t' read -r target _; do
  [ -n "$target" ] || continue
  if ! cmake --build "$dir" --target "$target" -j"$jobs" >"$dir/htvm-build-$target.log" 2>&1; then
    echo "$target" >>"$failed_list"
    echo "FAIL: $target does not build for bare metal; its log ($dir/htvm-build-$target.log) ends with:"
    tail -n 25 "$dir/htvm-build-$target.log" | sed 's/^/    /'
  fi
done <"$dir/htvm-firmware.tsv"
echo "build finished in $(($(date +%s) - start)) s; failed: $(tr '\n' ' ' <"$failed_list")"
exit 0
