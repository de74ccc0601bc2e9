#!/usr/bin/env bash
# The example programs of several host builds of this tree (tools/test.sh: g++, clang++, clang++
# with sanitizers) print the same outputs, byte for byte:
#
#     compare_builds.sh <build dir>...
#
#  - the DIANA examples, every network under every policy: their whole output (dispatch table,
#    modeled cycles, output bytes);
#  - the example network (examples/resnet8): its output line (the rest is timing);
#  - the MLPerf Tiny programs on the three golden inputs: the output file;
#  - the MLPerf Tiny compile reports: their text and their SVG picture of the L2 plan.
# (The programs write to one scratch file, so that its name, which a compile report prints, is the same.)
# Each program is one comparison; one that is missing from a build fails. Ends with the counts.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 2 ] || { echo "usage: $0 <build dir> <build dir>..." >&2; exit 2; }
trees=("$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

# compare <name> <command that writes the output of build $1 to stdout; $2 is a scratch file>
compare() {
  local name=$1 k=0 tree first="" status=0
  shift
  for tree in "${trees[@]}"; do
    local out=$work/$k.out
    if ! "$@" "$tree" "$work/scratch" >"$out" 2>&1; then
      echo "FAIL: $name: $tree: the program failed or is missing:"
      head -n 5 "$out" | sed 's/^/    /'
      status=1
    elif [ -z "$first" ]; then
      first=$out
    elif ! cmp -s "$first" "$out"; then
      echo "FAIL: $name: ${trees[0]} and $tree differ:"
      diff "$first" "$out" | head -n 10 | sed 's/^/    /'
      status=1
    fi
    k=$((k + 1))
  done
  if [ $status -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

resnet8() { "$1/examples/resnet8/resnet8" | grep '^output:'; }
mlperf() {
  "$1/examples/mlperf_tiny/mlperf_tiny_$net" --input "$root/tests/data/mlperf_tiny/golden/$net/$seed.in" \
    --output "$2" >/dev/null && od -An -tx1 -v "$2"
}
report() { "$1/examples/mlperf_tiny/mlperf_${net}_model_report" "$2" && cat "$2"; }

for network in ds_cnn mobilenet resnet8 toyadmos_dae; do
  for policy in cpu_only digital analog mixed; do
    compare "diana_${network}_$policy" bash -c 'exec "$1/examples/diana/diana_'"${network}_$policy"'"' run
  done
done
compare resnet8 resnet8
for net in kws ic vww ad; do
  for seed in seed1 seed2 seed3; do
    compare "mlperf_tiny_$net $seed" mlperf
  done
  compare "mlperf_${net}_model_report" report
done
echo "compare-builds: $passed passed, $failed failed"
[ $failed -eq 0 ]
