#!/usr/bin/env bash
# Regenerates bench/results/*.csv and bench/RESULTS.md from a fresh measurement (bench/README.md
# says what each number is and how it is taken):
#
#     bash bench/run.sh [--reps N] [--skip-compile] [--skip-hooks]
#
#   --reps N          compile each translation unit N times, keep the fastest (default 3)
#   --skip-compile    do not re-time compilations (compile.csv is left as it is)
#   --skip-hooks      do not run the DIANA model (bench/diana), tiler (bench/tiler_*) and scaling
#                     (bench/scale) parts
#
# Build trees: build-bench (host: the .tflite importer, host programs, host compile times) and
# build-bench-rv32 (bare-metal RV32IMC, GCC -O2), both configured with -DHTVM_BENCH_MLPERF=ON.
# Override with HTVM_BENCH_HOST_BUILD / HTVM_BENCH_RV32_BUILD; HTVM_BENCH_JOBS sets build
# parallelism (default 2). Raw outputs (QEMU logs, section tables, compile timings) go to
# <host build>/bench-raw, the tables to bench/results and bench/RESULTS.md.
#
# Parts made by others are called when present, never required:
#   bench/diana/run.sh <results dir>      Table I / Fig. 4 of the HTVM paper, MODELED (diana_table1.csv)
#   bench/tiler_*/run.sh <results dir>    tiler quality (tiler_quality.csv)
#   bench/scale/run.sh <results dir>      compile time against network length (scale.csv)
#   or, for a folder without run.sh, the host build's CMake target run_<folder name>, if it has one.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

reps=3
skip_compile=0
skip_hooks=0
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps=$2; shift 2 ;;
    --skip-compile) skip_compile=1; shift ;;
    --skip-hooks) skip_hooks=1; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed -E 's/^# ?//'; exit 0 ;;
    *) echo "bench/run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

host_build=${HTVM_BENCH_HOST_BUILD:-$root/build-bench}
rv32_build=${HTVM_BENCH_RV32_BUILD:-$root/build-bench-rv32}
jobs=${HTVM_BENCH_JOBS:-2}
results=$root/bench/results
raw=$host_build/bench-raw
models=(kws ic vww ad)
# The issue's compiler setting: GCC -O2 (CMake's Release default would be -O3).
opt_flags=(-DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" -DHTVM_BENCH_MLPERF=ON)

for tool in cmake python3 riscv64-unknown-elf-g++ riscv64-unknown-elf-readelf riscv64-unknown-elf-nm \
            qemu-system-riscv32; do
  if ! command -v "$tool" >/dev/null; then
    echo "bench/run.sh: '$tool' not found; tools/setup-debian.sh installs everything needed" >&2
    exit 2
  fi
done
[ -x /usr/bin/time ] || echo "bench/run.sh: note: no GNU time (Debian package 'time'); compile timings use wait4() directly"

step() { echo "== $*"; }
# Runs a command with its output in a log; on failure shows the end of the log.
logged() {
  local log=$1; shift
  if ! "$@" >"$log" 2>&1; then
    echo "bench/run.sh: failed: $*" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}

mkdir -p "$results" "$host_build"
rm -rf "$raw"
mkdir -p "$raw"
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# Counted before any step rewrites the result files (which would count themselves otherwise).
uncommitted=$(cd "$root" && git status --porcelain 2>/dev/null | wc -l)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

step "host build ($host_build)"
logged "$raw/configure_host.log" cmake -S "$root" -B "$host_build" "${opt_flags[@]}" -DHTVM_BUILD_TESTS=OFF
logged "$raw/build_host.log" cmake --build "$host_build" --target htvm-import bench_mlperf_all -j"$jobs"
importer=$(head -n 1 "$host_build/htvm-host-tools.txt")

step "RV32IMC build ($rv32_build)"
source "$root/tools/toolchain-cache.sh"
toolchain=$root/cmake/toolchain-rv32imc.cmake
htvm_forget_stale_toolchain_cache "$rv32_build" "$toolchain"
logged "$raw/configure_rv32.log" cmake -S "$root" -B "$rv32_build" \
  -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DHTVM_IMPORT_EXECUTABLE="$importer" "${opt_flags[@]}"
htvm_stamp_toolchain_cache "$rv32_build" "$toolchain"
logged "$raw/build_rv32.log" cmake --build "$rv32_build" --target bench_mlperf_all -j"$jobs"

fw=$rv32_build/bench/mlperf
deploy=$fw/deploy  # bench_deploy_<m> and bench_empty_firmware (bench/mlperf/deploy/CMakeLists.txt)
for m in "${models[@]}"; do
  step "$m: host run, RV32 run under QEMU (-icount shift=0), ELF sections"
  status=0
  "$host_build/bench/mlperf/bench_mlperf_$m" >"$raw/host_$m.txt" 2>&1 || status=$?
  echo "exit,$status" >>"$raw/host_$m.txt"
  status=0
  tools/qemu-run.sh rv32 "$fw/bench_mlperf_$m.elf" 600 >"$raw/rv32_$m.txt" 2>&1 || status=$?
  echo "exit,$status" >>"$raw/rv32_$m.txt"
  [ "$status" -eq 0 ] || echo "   WARNING: bench_mlperf_$m exited with $status under QEMU (see $raw/rv32_$m.txt)"
  riscv64-unknown-elf-readelf -SW "$deploy/bench_deploy_$m.elf" >"$raw/sections_deploy_$m.txt"
  riscv64-unknown-elf-readelf -SW "$fw/bench_mlperf_$m.elf" >"$raw/sections_mlperf_$m.txt"
  riscv64-unknown-elf-nm -S -C "$deploy/bench_deploy_$m.elf" >"$raw/symbols_deploy_$m.txt"
  header=$(find "$rv32_build" -path "*htvm_models/*/${m}_model.hpp" | head -n 1)
  cp "$header" "$raw/${m}_model.hpp"
done
riscv64-unknown-elf-readelf -SW "$deploy/bench_empty_firmware.elf" >"$raw/sections_empty.txt"

if [ "$skip_compile" -eq 0 ]; then
  step "compile time and memory of each firmware translation unit ($reps runs each, one at a time)"
  python3 bench/mlperf/measure_compile.py --build "$rv32_build" --label rv32 --out "$raw/compile_raw.csv" --reps "$reps"
  python3 bench/mlperf/measure_compile.py --build "$host_build" --label host --out "$raw/compile_raw.csv" --reps "$reps"
fi

# ---- other engineers' parts: called when present ----------------------------------------------
: >"$raw/hooks.txt"
if [ "$skip_hooks" -eq 0 ]; then
  targets=$(cmake --build "$host_build" --target help 2>/dev/null || true)
  for dir in bench/diana bench/tiler_* bench/scale; do
    [ -d "$dir" ] || continue
    name=$(basename "$dir")
    status=0
    if [ -f "$dir/run.sh" ]; then
      step "$name: bash $dir/run.sh $results"
      HTVM_BENCH_HOST_BUILD=$host_build HTVM_BENCH_RESULTS=$results bash "$dir/run.sh" "$results" \
        >"$raw/hook_$name.log" 2>&1 || status=$?
      echo "$name,$dir/run.sh,$status" >>"$raw/hooks.txt"
    elif grep -qx "\.\.\. run_$name" <<<"$targets"; then
      step "$name: cmake --build $host_build --target run_$name"
      cmake --build "$host_build" --target "run_$name" -j"$jobs" >"$raw/hook_$name.log" 2>&1 || status=$?
      echo "$name,run_$name,$status" >>"$raw/hooks.txt"
    else
      echo "$name,none,-" >>"$raw/hooks.txt"
      continue
    fi
    [ "$status" -eq 0 ] || echo "   WARNING: $name exited with $status (log: $raw/hook_$name.log)"
  done
fi

# ---- the machine, for RESULTS.md --------------------------------------------------------------
{
  echo "started=$started"
  echo "finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "load_before=$load_before"
  echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores=$(nproc)"
  echo "memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "os=$(. /etc/os-release && echo "$PRETTY_NAME"), $(uname -sr)"
  echo "host_gxx=$(g++ --version | head -n 1)"
  echo "rv32_gxx=$(riscv64-unknown-elf-g++ --version | head -n 1)"
  echo "picolibc=$(dpkg-query -W -f '${Version}' picolibc-riscv64-unknown-elf 2>/dev/null || echo unknown)"
  echo "qemu=$(qemu-system-riscv32 --version | head -n 1)"
  echo "cmake=$(cmake --version | head -n 1)"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "uncommitted_files=$uncommitted"
  echo "reps=$reps"
} >"$raw/env.txt"

step "tables"
compile_option=()
[ "$skip_compile" -eq 1 ] && compile_option=(--keep-compile)
python3 bench/make_results.py --raw "$raw" --results "$results" --markdown bench/RESULTS.md \
  --rv32-build "$rv32_build" --host-build "$host_build" "${compile_option[@]}"
echo "== done: bench/RESULTS.md, bench/results/*.csv (raw outputs in $raw)"
