#!/usr/bin/env bash
# Compile time and memory against network length (bench/README.md, "Scaling"):
#
#     bash bench/scale/run.sh <results dir>
#
# Compiles generated chains and residual networks (tests/scale/generate_network.cmake) of 64 to
# 1,024 layers with g++ and clang++ -O2, for the CPU target and DIANA's digital policy, and writes
# <results dir>/scale.csv: CPU seconds (user + system) and the compiler's peak resident set. A
# compilation that fails or exceeds HTVM_SCALE_TIMEOUT seconds (default 600) is recorded as such.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
results=${1:?usage: bench/scale/run.sh <results dir>}
work=${HTVM_SCALE_WORK:-$root/build-bench/scale}
timeout_s=${HTVM_SCALE_TIMEOUT:-600}
mkdir -p "$work" "$results"
[ -x /usr/bin/time ] || { echo "bench/scale/run.sh: needs GNU time (Debian package 'time')" >&2; exit 2; }
clang=$(command -v clang++ || command -v clang++-14)
csv=$results/scale.csv
echo "layers,kind,compiler,target,cpu_seconds,peak_mib,status" >"$csv"
for layers in 64 128 256 512 1024; do
  for kind in chain residual; do
    header=$work/${kind}_${layers}.hpp
    cmake -DFILE="$header" -DNS="${kind}_${layers}" -DLAYERS="$layers" -DKIND="$kind" \
      -P "$root/bench/scale/generate.cmake"
    for compiler in g++ clang++; do
      cxx=g++; [ "$compiler" = clang++ ] && cxx=$clang
      for target in cpu digital; do
        diana=0; [ "$target" = digital ] && diana=1
        log=$work/${kind}_${layers}_${compiler}_${target}.log
        status=ok
        /usr/bin/time -f "%U %S %M" -o "$log.time" timeout "$timeout_s" \
          "$cxx" -std=c++20 -O2 -c -I"$root/include" -DSCALE_HEADER="\"$header\"" -DSCALE_NS="${kind}_${layers}" \
          -DSCALE_DIANA=$diana "$root/bench/scale/scale_tu.cpp" -o "$work/tu.o" >"$log" 2>&1 || status=failed
        grep -q "Command exited with non-zero status 124" "$log.time" && status=timeout
        read -r user sys rss < <(tail -n 1 "$log.time")
        seconds=$(python3 -c "print(f'{$user + $sys:.2f}')")
        mib=$(python3 -c "print(f'{$rss / 1024:.0f}')")
        echo "$layers,$kind,$compiler,$target,$seconds,$mib,$status" | tee -a "$csv"
      done
    done
  done
done
