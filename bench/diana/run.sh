#!/usr/bin/env bash
# Table I and Fig. 4 of the HTVM paper for htvm's DIANA platform, MODELED by htvm's cycle model
# (nothing here runs on DIANA silicon):
#
#     bash bench/diana/run.sh [results dir, default bench/results]
#
# Writes into the results dir:
#   diana_table1.csv         network, config, peak_ms, full_ms, size_kb
#   diana_table1_detail.csv  the cycles behind them, layer counts, the flash breakdown, QEMU check
#   diana_fig4.csv           modeled latency against the L1 budget, three tiler objectives
#   diana_fig4.svg           that, for MobileNetV1 0.25 (digital); diana_fig4_all.svg: all four networks
#   diana_notes.md           what the numbers are (bench/make_results.py puts it into RESULTS.md)
#
# Build trees: the host build $HTVM_BENCH_HOST_BUILD (default build-bench-diana) for the programs
# diana_table1 and diana_fig4, and the RV32IMC build $HTVM_BENCH_RV32_BUILD (default: the host
# build's name + "-rv32") for the 16 firmware programs diana_<network>_<policy> whose flash is
# Table I's size. Each is configured here when it has no CMakeCache.txt yet (GCC -O2, as bench/run.sh).
# Raw outputs (program output, QEMU logs, section and symbol tables) go to <host build>/bench-diana-raw.
# About 2 minutes on 2 cores with fresh build trees, seconds when they are up to date.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

results=${1:-${HTVM_BENCH_RESULTS:-$root/bench/results}}
host_build=${HTVM_BENCH_HOST_BUILD:-$root/build-bench-diana}
rv32_build=${HTVM_BENCH_RV32_BUILD:-$host_build-rv32}
jobs=${HTVM_BENCH_JOBS:-2}
raw=$host_build/bench-diana-raw
networks=(ds_cnn mobilenet resnet8 toyadmos_dae)
policies=(cpu_only digital analog mixed)
opt_flags=(-DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG")

for tool in cmake python3 riscv64-unknown-elf-g++ riscv64-unknown-elf-readelf riscv64-unknown-elf-nm \
            qemu-system-riscv32; do
  command -v "$tool" >/dev/null || { echo "bench/diana: '$tool' not found (tools/setup-debian.sh)" >&2; exit 2; }
done

step() { echo "== bench/diana: $*"; }
logged() {
  local log=$1; shift
  if ! "$@" >"$log" 2>&1; then
    echo "bench/diana: failed: $*" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}

mkdir -p "$results" "$host_build"
rm -rf "$raw"
mkdir -p "$raw"

step "host build ($host_build)"
[ -f "$host_build/CMakeCache.txt" ] ||
  logged "$raw/configure_host.log" cmake -S "$root" -B "$host_build" "${opt_flags[@]}" -DHTVM_BUILD_TESTS=OFF
# Re-configure so that a build tree made before bench/diana existed picks it up.
logged "$raw/reconfigure_host.log" cmake "$host_build"
logged "$raw/build_host.log" cmake --build "$host_build" --target htvm-import diana_table1 diana_fig4 -j"$jobs"
importer=$(head -n 1 "$host_build/htvm-host-tools.txt")

step "RV32IMC build ($rv32_build): the 16 diana_<network>_<policy> programs"
source "$root/tools/toolchain-cache.sh"
toolchain=$root/cmake/toolchain-rv32imc.cmake
htvm_forget_stale_toolchain_cache "$rv32_build" "$toolchain"
if [ ! -f "$rv32_build/CMakeCache.txt" ]; then
  logged "$raw/configure_rv32.log" cmake -S "$root" -B "$rv32_build" \
    -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DHTVM_IMPORT_EXECUTABLE="$importer" "${opt_flags[@]}"
  htvm_stamp_toolchain_cache "$rv32_build" "$toolchain"
fi
programs=()
for n in "${networks[@]}"; do for p in "${policies[@]}"; do programs+=("diana_${n}_$p"); done; done
logged "$raw/build_rv32.log" cmake --build "$rv32_build" --target "${programs[@]}" -j"$jobs"

step "Table I: the dispatch tables' cycles (diana_table1), flash of each RV32 ELF, each run under QEMU"
"$host_build/bench/diana/diana_table1" >"$raw/table1_model.csv"
for prog in "${programs[@]}"; do
  elf=$rv32_build/examples/diana/$prog.elf
  riscv64-unknown-elf-readelf -SW "$elf" >"$raw/sections_$prog.txt"
  riscv64-unknown-elf-nm -S -C "$elf" >"$raw/symbols_$prog.txt"
  status=0
  tools/qemu-run.sh rv32 "$elf" 120 >"$raw/qemu_$prog.txt" 2>&1 || status=$?
  echo "exit,$status" >>"$raw/qemu_$prog.txt"
done

step "Fig. 4: L1 sweep through the tiler (diana_fig4)"
"$host_build/bench/diana/diana_fig4" >"$results/diana_fig4.csv" 2>"$raw/fig4_stderr.txt" || {
  cat "$raw/fig4_stderr.txt" >&2
  exit 1
}
cat "$raw/fig4_stderr.txt"
python3 "$here/plot_fig4.py" "$results/diana_fig4.csv" "$results/diana_fig4.svg" mobilenet
python3 "$here/plot_fig4.py" "$results/diana_fig4.csv" "$results/diana_fig4_all.svg"

step "tables"
python3 "$here/make_tables.py" --raw "$raw" --results "$results" \
  --compiler "$(riscv64-unknown-elf-g++ --version | head -n 1)" --rv32-build "$rv32_build"

step "done: $results/diana_table1.csv, diana_fig4.csv, diana_fig4.svg (raw outputs in $raw)"
