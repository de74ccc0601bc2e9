# Sourced by the scripts that configure bare-metal build trees (tools/run-firmware.sh,
# tests/firmware/test_firmware_build.sh, bench/run.sh, bench/diana/run.sh).
#
# A toolchain file sets initial cache values (compile and link flags, memory layout), which CMake
# reads only when it creates a cache. When the toolchain file, or cmake/bare-metal-link.cmake next to
# it (which it includes), changed since a tree was configured, that tree's cache is started afresh
# so that the change takes effect: a kept benchmark tree (build-bench-diana-rv32) was found still
# linking picolibc's integer-only printf long after the link set-up had dropped it.
#
#   htvm_forget_stale_toolchain_cache <build dir> <toolchain file>   before configuring
#   htvm_stamp_toolchain_cache <build dir> <toolchain file>          after configuring

htvm_toolchain_digest() {
  cat "$1" "$(dirname "$1")/bare-metal-link.cmake" 2>/dev/null | sha256sum | cut -d' ' -f1
}

htvm_forget_stale_toolchain_cache() {
  local dir=$1 toolchain=$2
  if [ -f "$dir/CMakeCache.txt" ] &&
     [ "$(cat "$dir/htvm-toolchain.sha256" 2>/dev/null)" != "$(htvm_toolchain_digest "$toolchain")" ]; then
    echo "toolchain files changed since $dir was configured: configuring it afresh" >&2
    rm -f "$dir/CMakeCache.txt"
  fi
}

htvm_stamp_toolchain_cache() {
  htvm_toolchain_digest "$2" >"$1/htvm-toolchain.sha256"
}
