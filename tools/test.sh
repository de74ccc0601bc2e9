#!/usr/bin/env bash
# The whole test suite: set-up check, then three host builds, each with its own CTest run:
#   build           g++: every test (unit, property, compile-fail, mlperf, diana, tiling, scale,
#                   fuzz, qemu, package);
#   build-clang     clang++: every test that runs host code (the compile-fail tests check both
#                   compilers' diagnostics from the g++ build; bare-metal and package tests build
#                   their own trees with the cross compilers);
#   build-sanitize  clang++ with ASan + UBSan (-fno-sanitize-recover): the same tests.
# The clang++ builds compile only what their tests run (the g++ build compiles everything).
# Each program compares its outputs with the same independent references (TFLite Micro's golden
# data, the Eigen reference), and tests/compare_builds.sh then checks that the example programs of
# all the builds print the same bytes.
# Extra arguments go to every ctest run (e.g. -L unit); HTVM_TEST_BUILDS="build build-clang" picks
# the builds. With -L <label regex>, a build compiles only what the matching labels' tests run
# (the targets tests_<label> of <build>/htvm-test-labels.txt), unless one of them needs everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup-debian.sh
jobs=$(nproc)
builds=${HTVM_TEST_BUILDS:-build build-clang build-sanitize}
clang=$(command -v clang++ || command -v clang++-14)
# Labels the clang++ builds leave to the g++ build (and so do not build what only they run): they do not run host code built by the
# tree's own compiler (qemu, firmware, package; compile-time runs both compilers itself), check
# g++'s diagnostics (compile-fail), or already run under clang++ with sanitizers (fuzz).
host_only="qemu|firmware|package|compile-fail|compile-time|fuzz"
label_regex=""
args=("$@")
for ((k = 0; k < ${#args[@]}; k++)); do
  case ${args[k]} in
    -L | --label-regex) label_regex=${args[k + 1]:-} ;;
    -L*) label_regex=${args[k]#-L} ;;
  esac
done
# label_targets <build> <exclude regex>: the targets that the tests of the labels matching
# $label_regex (all labels when empty) and not the exclude regex (none when empty) run, or nothing:
# build everything.
label_targets() {
  local list=$1/htvm-test-labels.txt exclude=$2 targets=() label target
  [ -n "$label_regex$exclude" ] && [ -f "$list" ] || return 0
  while read -r label target; do
    [ -z "$label_regex" ] || [[ $label =~ $label_regex ]] || continue
    [ -z "$exclude" ] || ! [[ $label =~ $exclude ]] || continue
    [ "$target" = all ] && return 0
    targets+=("$target")
  done <"$list"
  [ ${#targets[@]} -gt 0 ] && echo "${targets[@]}"
  return 0
}
for tree in $builds; do
  case $tree in
    build) configure=() exclude="" ;;
    build-clang) configure=(-DCMAKE_CXX_COMPILER="$clang") exclude=$host_only ;;
    build-sanitize) configure=(-DCMAKE_CXX_COMPILER="$clang" -DHTVM_SANITIZE=ON) exclude=$host_only ;;
    *) echo "test.sh: unknown build '$tree' (build, build-clang, build-sanitize)" >&2; exit 2 ;;
  esac
  echo "== $tree"
  cmake -S . -B "$tree" -DCMAKE_BUILD_TYPE=Release "${configure[@]}"
  read -r -a targets < <(label_targets "$tree" "$exclude") || true
  if [ ${#targets[@]} -gt 0 ]; then
    cmake --build "$tree" -j"$jobs" --target "${targets[@]}"
  else
    cmake --build "$tree" -j"$jobs"
  fi
  run=()
  [ -z "$exclude" ] || run=(-LE "$exclude")
  ctest --test-dir "$tree" -j"$jobs" --output-on-failure "${run[@]}" "$@"
done
# A whole run with more than one build: their example programs' outputs must be identical.
read -r -a built <<<"$builds"
if [ $# -eq 0 ] && [ ${#built[@]} -ge 2 ]; then
  echo "== the builds' outputs, compared"
  bash tests/compare_builds.sh "${built[@]}"
fi
