#!/usr/bin/env bash
# Runs one firmware program under QEMU and checks it against the host build of the same source.
#
#     test_firmware_qemu.sh --arch <rv32|m4> --build-dir <bare-metal build tree> --target <name>
#                           [--host <host executable>] [--expect-exit <n>] [--timeout <s>]
#                           [--expect-timeout]
#
# Passes when
#  - the program built for bare metal (not listed in <build-dir>/htvm-firmware-failed.txt),
#  - QEMU exits with --expect-exit (default 0: the firmware's own golden check passed),
#  - the host executable exits with the same status, and
#  - every `output:` line of the QEMU run equals the host run's, in order (at least one line).
# With --expect-timeout the firmware must instead still be running after --timeout seconds (QEMU is
# stopped): this proves that a hang fails a run rather than blocking the suite.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
runner="$here/../../tools/qemu-run.sh"

arch="" dir="" target="" host="" expect_exit=0 limit=300 expect_timeout=0
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch=$2; shift 2 ;;
    --build-dir) dir=$2; shift 2 ;;
    --target) target=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    --expect-exit) expect_exit=$2; shift 2 ;;
    --timeout) limit=$2; shift 2 ;;
    --expect-timeout) expect_timeout=1; shift ;;
    *) echo "unknown argument '$1'" >&2; exit 2 ;;
  esac
done
fail() { echo "FAIL: $*"; exit 1; }

if grep -qxF "$target" "$dir/htvm-firmware-failed.txt" 2>/dev/null; then
  fail "$target did not build for $arch; see the output of qemu_build_$arch"
fi
elf=$(awk -F'\t' -v t="$target" '$1 == t { print $2 }' "$dir/htvm-firmware.tsv" 2>/dev/null)
[ -n "$elf" ] || fail "$target is not a firmware target of $dir (htvm-firmware.tsv); was it made with htvm_add_firmware()?"
[ -f "$elf" ] || fail "$elf was not built"

log=$(mktemp)
trap 'rm -f "$log" "$log.host"' EXIT
start=$(date +%s%N)
"$runner" "$arch" "$elf" "$limit" >"$log" 2>&1
status=$?
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
echo "---- QEMU ($arch) output, exit status $status, ${elapsed_ms} ms wall clock ----"
cat "$log"
echo "----"

if [ "$expect_timeout" -eq 1 ]; then
  [ "$status" -eq 124 ] || fail "expected the firmware to hang until the ${limit}s timeout, but it exited with $status"
  echo "PASS: the hanging firmware was stopped by the timeout (status 124)"
  exit 0
fi
[ "$status" -ne 124 ] || fail "QEMU run timed out after ${limit}s"
[ "$status" -eq "$expect_exit" ] || fail "QEMU exit status $status, expected $expect_exit"

if [ -n "$host" ]; then
  [ -x "$host" ] || fail "the host build of $target ($host) is missing: build the host tree first (cmake --build)"
  "$host" >"$log.host" 2>&1
  host_status=$?
  echo "---- host output, exit status $host_status ----"
  cat "$log.host"
  echo "----"
  [ "$host_status" -eq "$expect_exit" ] || fail "host exit status $host_status, expected $expect_exit"
  qemu_lines=$(grep -E '^output: ' "$log")
  host_lines=$(grep -E '^output: ' "$log.host")
  [ -n "$host_lines" ] || fail "the host run printed no 'output:' line"
  [ -n "$qemu_lines" ] || fail "the QEMU run printed no 'output:' line"
  if [ "$qemu_lines" != "$host_lines" ]; then
    diff <(echo "$host_lines") <(echo "$qemu_lines") | head -20
    fail "the $arch output differs from the host's (diff above: < host, > $arch)"
  fi
  echo "PASS: $(echo "$qemu_lines" | wc -l) output line(s) identical on the host and on $arch; exit status $status"
else
  echo "PASS: exit status $status"
fi
