#!/usr/bin/env bash
# Firmware discipline, part 2: the stack frames of htvm's code are bounded and printed.
#
#     test_firmware_stack.sh <bare-metal build tree> <max htvm frame bytes> <max frame bytes>
#
# Every firmware object is compiled with -fstack-usage (htvm_add_firmware), which makes GCC write a
# .su file beside it: one line per function with its frame size and a qualifier ("static": fixed;
# "dynamic,bounded"; "dynamic": alloca or a variable-length array, unbounded). This test reads all of
# them and fails when
#  - an object has no .su file,
#  - any firmware function has an unbounded ("dynamic") frame,
#  - a function from include/htvm has a frame larger than <max htvm frame bytes>, or
#  - any function of a firmware object has a frame larger than <max frame bytes>: htvm's kernels
#    and run() are inlined into the program's functions (main), whose frames then hold their locals.
# It prints the largest frames (htvm's and the programs' own) so the numbers show up in the log; the
# deepest total stack is measured at run time by each firmware (stack_meter.hpp, "stack:" line).
set -uo pipefail
dir=$1
bound=$2
overall_bound=$3
[ -f "$dir/htvm-firmware.tsv" ] || { echo "FAIL: no $dir/htvm-firmware.tsv (did qemu_build fail?)"; exit 1; }

status=0
su_files=()
while IFS=$'\t' read -r target _elf objects _; do
  [ -n "$target" ] || continue
  if grep -qxF "$target" "$dir/htvm-firmware-failed.txt" 2>/dev/null; then
    echo "FAIL: $target: not built, no stack usage files"
    status=1
    continue
  fi
  IFS=';' read -r -a objs <<<"$objects"
  for o in "${objs[@]}"; do
    su="${o%.*}.su"
    if [ -f "$su" ]; then
      su_files+=("$su")
    else
      echo "FAIL: $target: no stack usage file $su (was it compiled with -fstack-usage?)"
      status=1
    fi
  done
done <"$dir/htvm-firmware.tsv"
[ "${#su_files[@]}" -gt 0 ] || { echo "FAIL: no stack usage files found"; exit 1; }

# One row per function: bytes, qualifier, where it is defined. Template instances of the same
# function appear once per program; keep each distinct row once.
rows=$(cat "${su_files[@]}" | awk -F'\t' '{ print $2 "\t" $3 "\t" $1 }' | sort -t$'\t' -k1,1nr -k3 | uniq)
htvm_rows=$(echo "$rows" | grep -F '/include/htvm/')
other_rows=$(echo "$rows" | grep -vF '/include/htvm/')

echo "stack usage files: ${#su_files[@]} objects"
echo "largest frames of htvm code (include/htvm), bytes / qualifier / function:"
echo "$htvm_rows" | head -n 12 | cut -c1-220 | sed 's/^/    /'
echo "largest frames of the programs' own code:"
echo "$other_rows" | head -n 6 | cut -c1-220 | sed 's/^/    /'

max=$(echo "$htvm_rows" | head -n 1 | cut -f1)
max=${max:-0}
echo "max frame of htvm code: $max bytes (bound $bound)"
if [ "$max" -gt "$bound" ]; then
  echo "FAIL: an htvm function needs a frame of $max bytes, more than the $bound-byte bound"
  status=1
fi
overall_max=$(echo "$rows" | head -n 1 | cut -f1)
echo "max frame of any firmware function: ${overall_max:-0} bytes (bound $overall_bound)"
if [ "${overall_max:-0}" -gt "$overall_bound" ]; then
  echo "FAIL: a firmware function needs a frame of $overall_max bytes, more than the $overall_bound-byte bound:"
  echo "$rows" | head -n 1 | sed 's/^/    /'
  status=1
fi
unbounded=$(echo "$rows" | awk -F'\t' '$2 == "dynamic"')
if [ -n "$unbounded" ]; then
  echo "FAIL: functions with unbounded (dynamic: alloca or variable-length array) frames:"
  echo "$unbounded" | sed 's/^/    /'
  status=1
fi
exit "$status"
